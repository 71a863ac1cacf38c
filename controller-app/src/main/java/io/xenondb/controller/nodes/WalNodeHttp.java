package io.xenondb.controller.nodes;

import io.xenondb.controller.store.WalNodeRow;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reactive calls to WAL nodes' management API (Neon's safekeeper HTTP API), carrying
 * {@code --safekeeper-jwt-token} as Bearer when given. A node that does not answer in time is UNAVAILABLE.
 */
public final class WalNodeHttp {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebClient client;
    private final Duration timeout;

    public WalNodeHttp(Duration timeout, Optional<String> token) {
        WebClient.Builder builder =
                WebClient.builder().codecs(c -> c.defaultCodecs().maxInMemorySize(1024 * 1024));
        token.ifPresent(t -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + t));
        this.client = builder.build();
        this.timeout = timeout;
    }

    /** One call; {@code jsonBody} may be null. Any status is an answer; no answer is UNAVAILABLE. */
    public Mono<NodeAnswer> call(WalNodeRow node, HttpMethod method, String path, String jsonBody) {
        return Mono.defer(() -> {
                    WebClient.RequestBodySpec request = client.method(method).uri(node.httpBase() + path);
                    WebClient.RequestHeadersSpec<?> spec = jsonBody == null
                            ? request
                            : request.contentType(MediaType.APPLICATION_JSON).bodyValue(jsonBody);
                    return spec.exchangeToMono(response -> response.bodyToMono(String.class)
                            .defaultIfEmpty("")
                            .map(body -> new NodeAnswer(response.statusCode().value(), body)));
                })
                .timeout(timeout)
                // Not reached (refused, timed out), or not reachable at all (an address no URL can hold).
                .onErrorMap(
                        e -> !(e instanceof XenonException),
                        e -> new XenonException(
                                ErrorCode.UNAVAILABLE,
                                "WAL node " + node.id() + " at " + node.httpBase() + " did not answer " + method + " "
                                        + path + ": " + e.getMessage(),
                                e));
    }

    /** A call that must succeed: its body, or the node's failure as a typed error. */
    public Mono<String> expectSuccess(WalNodeRow node, HttpMethod method, String path, String jsonBody) {
        return call(node, method, path, jsonBody).map(answer -> {
            if (!answer.isSuccess()) {
                throw failure(node, answer);
            }
            return answer.body();
        });
    }

    /** {@code GET /v1/status}: the id the node says it has. */
    public Mono<Long> nodeId(WalNodeRow node) {
        return expectSuccess(node, HttpMethod.GET, "/v1/status", null).map(body -> {
            try {
                JsonNode id = JSON.readTree(body).get("id");
                if (id == null || !id.canConvertToLong()) {
                    throw new XenonException(ErrorCode.UNAVAILABLE, "no numeric id");
                }
                return id.asLong();
            } catch (JacksonException e) {
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "WAL node " + node.id() + " answered GET /v1/status with an unreadable body: "
                                + e.getMessage());
            }
        });
    }

    /** The typed error a node's failed answer stands for; its {@code msg} is kept. */
    public static XenonException failure(WalNodeRow node, NodeAnswer answer) {
        return answer.toError("WAL node " + node.id());
    }
}
