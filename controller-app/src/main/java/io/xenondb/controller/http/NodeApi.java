package io.xenondb.controller.http;

import io.xenondb.controller.service.NodeConfigUpdate;
import io.xenondb.controller.service.NodeRegistration;
import io.xenondb.controller.service.NodeService;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Storage node registration and configuration ({@code /control/v1/node}, Neon's paths and fields). */
@RestController
public class NodeApi {
    private final NodeService nodes;

    public NodeApi(NodeService nodes) {
        this.nodes = nodes;
    }

    @PostMapping("/control/v1/node")
    public Mono<Map<String, Object>> register(ServerHttpRequest http) {
        return JsonBodies.read(http, NodeRegistration.class, "a NodeRegisterRequest")
                .flatMap(nodes::register)
                .map(nodes::describe);
    }

    @GetMapping("/control/v1/node")
    public Mono<List<Map<String, Object>>> list() {
        return nodes.list().map(nodes::describe).collectList();
    }

    @GetMapping("/control/v1/node/{node_id}")
    public Mono<Map<String, Object>> get(@PathVariable("node_id") String nodeId) {
        return Mono.fromCallable(() -> JsonBodies.node(nodeId))
                .flatMap(nodes::get)
                .map(nodes::describe);
    }

    @PutMapping("/control/v1/node/{node_id}/config")
    public Mono<Map<String, Object>> configure(@PathVariable("node_id") String nodeId, ServerHttpRequest http) {
        return Mono.fromCallable(() -> JsonBodies.node(nodeId))
                .flatMap(id -> JsonBodies.read(http, NodeConfigUpdate.class, "a NodeConfigureRequest")
                        .flatMap(update -> nodes.configure(id, update)))
                .map(nodes::describe);
    }
}
