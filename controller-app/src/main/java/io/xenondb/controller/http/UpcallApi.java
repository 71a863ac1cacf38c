package io.xenondb.controller.http;

import io.xenondb.controller.service.Generations;
import io.xenondb.controller.service.ReAttachRequest;
import io.xenondb.controller.service.ValidateRequest;
import java.util.Map;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The storage nodes' upcalls ({@code /upcall/v1}, Neon's paths and fields; scope {@code generations_api}). */
@RestController
public class UpcallApi {
    private final Generations generations;

    public UpcallApi(Generations generations) {
        this.generations = generations;
    }

    @PostMapping("/upcall/v1/re-attach")
    public Mono<Map<String, Object>> reAttach(ServerHttpRequest http) {
        return JsonBodies.read(http, ReAttachRequest.class, "a ReAttachRequest").flatMap(generations::reAttach);
    }

    @PostMapping("/upcall/v1/validate")
    public Mono<Map<String, Object>> validate(ServerHttpRequest http) {
        return JsonBodies.read(http, ValidateRequest.class, "a ValidateRequest").flatMap(generations::validate);
    }
}
