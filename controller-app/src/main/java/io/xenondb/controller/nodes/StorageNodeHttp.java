package io.xenondb.controller.nodes;

import io.xenondb.controller.store.NodeRow;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reactive calls to storage nodes' management API (Neon's pageserver API). Failures become {@link XenonException}s
 * that keep the node's {@code msg} and the meaning of its status (400, 404, 406, 409); a node that does not answer,
 * or answers with a server error, is UNAVAILABLE. Every call goes through {@link NodeResilience}.
 */
public final class StorageNodeHttp {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebClient client;
    private final NodeResilience resilience;

    /** Calls that time out after {@code timeout}, carrying {@code token} as Bearer when given. */
    public StorageNodeHttp(Duration timeout, Optional<String> token) {
        this(new NodeResilience(withTimeout(NodeResilience.Settings.defaults(), timeout)), token);
    }

    /** Calls guarded by {@code resilience}, carrying {@code token} as Bearer when given. */
    public StorageNodeHttp(NodeResilience resilience, Optional<String> token) {
        WebClient.Builder builder =
                WebClient.builder().codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024));
        token.ifPresent(t -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + t));
        this.client = builder.build();
        this.resilience = resilience;
    }

    private static NodeResilience.Settings withTimeout(NodeResilience.Settings s, Duration timeout) {
        return new NodeResilience.Settings(
                timeout,
                timeout,
                s.attempts(),
                s.firstBackoff(),
                s.breakerWindow(),
                s.breakerMinimumCalls(),
                s.breakerFailureRate(),
                s.breakerOpenFor());
    }

    /**
     * One call through {@link NodeResilience} (timeout, retries of idempotent calls, the node's circuit breaker);
     * {@code jsonBody} may be null. Any status is an answer; no answer is UNAVAILABLE.
     */
    public Mono<NodeAnswer> call(NodeRow node, HttpMethod method, String path, String jsonBody) {
        return resilience.guard(node.nodeId(), method, method + " " + path, attempt(node, method, path, jsonBody));
    }

    /**
     * {@code GET /v1/utilization}, the heartbeat: true if the node answered 2xx within {@code timeout}. Not guarded
     * by the breaker: it is how a node that stopped answering is seen coming back.
     */
    public Mono<Boolean> heartbeat(NodeRow node, Duration timeout) {
        return attempt(node, HttpMethod.GET, "/v1/utilization", null)
                .timeout(timeout)
                .map(NodeAnswer::isSuccess)
                .onErrorReturn(false);
    }

    private Mono<NodeAnswer> attempt(NodeRow node, HttpMethod method, String path, String jsonBody) {
        return Mono.defer(() -> {
            WebClient.RequestBodySpec request = client.method(method).uri(node.httpBase() + path);
            WebClient.RequestHeadersSpec<?> spec = jsonBody == null
                    ? request
                    : request.contentType(MediaType.APPLICATION_JSON).bodyValue(jsonBody);
            return spec.exchangeToMono(response -> response.bodyToMono(String.class)
                            .defaultIfEmpty("")
                            .map(body -> new NodeAnswer(response.statusCode().value(), body)))
                    .onErrorMap(
                            e -> e instanceof WebClientRequestException || e instanceof TimeoutException,
                            e -> new XenonException(
                                    ErrorCode.UNAVAILABLE,
                                    "storage node " + node.nodeId() + " at " + node.httpBase() + " did not answer "
                                            + method + " " + path + ": " + e.getMessage(),
                                    e));
        });
    }

    /** A call that must succeed: its body, or the node's failure as a typed error. */
    public Mono<String> expectSuccess(NodeRow node, HttpMethod method, String path, String jsonBody) {
        return call(node, method, path, jsonBody).map(answer -> {
            if (!answer.isSuccess()) {
                throw failure(node, answer);
            }
            return answer.body();
        });
    }

    /** {@code PUT /v1/tenant/{id}/location_config}. */
    public Mono<Void> locationConfig(NodeRow node, TenantShardId shard, LocationConfig config) {
        return expectSuccess(
                        node,
                        HttpMethod.PUT,
                        "/v1/tenant/" + shard + "/location_config",
                        JSON.writeValueAsString(config))
                .then();
    }

    /** {@code GET /v1/location_config}: every tenant shard the node holds and how. */
    public Mono<List<Held>> locationConfigs(NodeRow node) {
        return expectSuccess(node, HttpMethod.GET, "/v1/location_config", null).map(body -> {
            try {
                List<Held> held = new ArrayList<>();
                for (JsonNode pair : JSON.readTree(body).path("tenant_shards")) {
                    TenantShardId id = TenantShardId.parse(pair.get(0).asString());
                    held.add(new Held(id, JSON.treeToValue(pair.get(1), LocationConfig.class)));
                }
                return held;
            } catch (JacksonException | XenonException | NullPointerException e) {
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "storage node " + node.nodeId() + " answered GET /v1/location_config with an unreadable body: "
                                + e.getMessage());
            }
        });
    }

    /** A tenant shard a node holds. */
    public record Held(TenantShardId shard, LocationConfig config) {}

    /** The typed error a node's failed answer stands for. */
    public static XenonException failure(NodeRow node, NodeAnswer answer) {
        return answer.toError("storage node " + node.nodeId());
    }
}
