package io.xenondb.controller.http;

import io.xenondb.service.http.RequestBodies;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reading request bodies and path ids the same way on every route: unknown fields and bad ids are 400s. */
final class JsonBodies {
    static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBodies() {}

    /** The body decoded into {@code type}, which must be present. */
    static <T> Mono<T> read(ServerHttpRequest http, Class<T> type, String expected) {
        return RequestBodies.required(http, expected).handle((text, sink) -> {
            T value = STRICT.readValue(text, type);
            if (value == null) {
                sink.error(new XenonException(ErrorCode.INVALID_ARGUMENT, "body: null (expected: " + expected + ")"));
            } else {
                sink.next(value);
            }
        });
    }

    /** A tenant id of a path; the unsharded form of a tenant shard id is accepted too. */
    static TenantId tenant(String text) {
        TenantShardId shard = TenantShardId.parse(text);
        if (!shard.isUnsharded()) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "tenant id " + text + ": sharded tenants are not supported yet (expected: 32 hex chars)");
        }
        return shard.tenantId();
    }

    static long node(String text) {
        return NodeId.parse(text).value();
    }
}
