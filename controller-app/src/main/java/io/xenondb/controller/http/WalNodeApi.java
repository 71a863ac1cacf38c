package io.xenondb.controller.http;

import io.xenondb.controller.service.WalNodePolicyUpdate;
import io.xenondb.controller.service.WalNodeRegistration;
import io.xenondb.controller.service.WalNodeService;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** WAL node (Neon's safekeeper) registration and scheduling policy ({@code /control/v1/safekeeper}). */
@RestController
public class WalNodeApi {
    private final WalNodeService walNodes;

    public WalNodeApi(WalNodeService walNodes) {
        this.walNodes = walNodes;
    }

    @PostMapping("/control/v1/safekeeper/{id}")
    public Mono<Map<String, Object>> register(@PathVariable("id") String id, ServerHttpRequest http) {
        return Mono.fromCallable(() -> JsonBodies.node(id))
                .flatMap(nodeId -> JsonBodies.read(http, WalNodeRegistration.class, "a SafekeeperUpsert")
                        .flatMap(registration -> walNodes.register(nodeId, registration)))
                .map(walNodes::describe);
    }

    @GetMapping("/control/v1/safekeeper")
    public Mono<List<Map<String, Object>>> list() {
        return walNodes.list().map(walNodes::describe).collectList();
    }

    @GetMapping("/control/v1/safekeeper/{id}")
    public Mono<Map<String, Object>> get(@PathVariable("id") String id) {
        return Mono.fromCallable(() -> JsonBodies.node(id))
                .flatMap(walNodes::get)
                .map(walNodes::describe);
    }

    @PostMapping("/control/v1/safekeeper/{id}/scheduling_policy")
    public Mono<Map<String, Object>> schedulingPolicy(@PathVariable("id") String id, ServerHttpRequest http) {
        return Mono.fromCallable(() -> JsonBodies.node(id))
                .flatMap(nodeId -> JsonBodies.read(
                                http, WalNodePolicyUpdate.class, "a SafekeeperSchedulingPolicyRequest")
                        .flatMap(update -> walNodes.setPolicy(nodeId, update)))
                .map(walNodes::describe);
    }
}
