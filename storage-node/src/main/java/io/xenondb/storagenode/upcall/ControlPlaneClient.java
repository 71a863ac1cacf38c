package io.xenondb.storagenode.upcall;

import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.storagenode.remote.GenerationValidator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Blocking calls to the storage controller's upcalls (Neon's {@code /upcall/v1/re-attach} and {@code validate}).
 * No answer, or a 5xx, is {@code UNAVAILABLE} (worth retrying); a 4xx keeps its meaning and the controller's
 * {@code msg}; an unreadable answer is {@code INTERNAL}.
 */
public final class ControlPlaneClient implements GenerationValidator {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient http;

    /** Calls under {@code base} (ending in {@code /}), with {@code token} as Bearer when given. */
    public ControlPlaneClient(URI base, Optional<String> token, Duration timeout) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /** Where the upcalls go. */
    public URI base() {
        return base;
    }

    /**
     * {@code POST re-attach}: the tenant shards this node holds from now on, each in its new location (Neon's
     * {@code ReAttachResponse}; a {@code config} next to an entry, a Xenon extension, is the tenant's settings).
     *
     * @param register Neon's {@code NodeRegisterRequest} fields, or null when the node is registered already
     */
    public Map<TenantShardId, LocationConfig> reAttach(long nodeId, Map<String, Object> register, boolean emptyDisk) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("node_id", nodeId);
        if (register != null) {
            request.put("register", register);
        }
        request.put("empty_local_disk", emptyDisk);
        JsonNode answer = post("re-attach", request);
        try {
            Map<TenantShardId, LocationConfig> held = new LinkedHashMap<>();
            for (JsonNode t : answer.required("tenants")) {
                TenantShardId id = TenantShardId.parse(t.required("id").asString());
                JsonNode gen = t.path("gen");
                JsonNode mode = t.path("mode");
                JsonNode stripe = t.path("stripe_size");
                JsonNode config = t.path("config");
                held.put(
                        id,
                        new LocationConfig(
                                mode.isMissingNode() || mode.isNull()
                                        ? LocationConfigMode.AttachedSingle
                                        : LocationConfigMode.valueOf(mode.asString()),
                                gen.isNumber() ? gen.asLong() : null,
                                null,
                                id.shardNumber().value(),
                                id.shardCount().value(),
                                stripe.isNumber() ? stripe.asLong() : null,
                                config.isObject() ? JSON.treeToValue(config, TenantConf.class) : null));
            }
            return held;
        } catch (JacksonException | XenonException | IllegalArgumentException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "the storage controller at " + base + " answered re-attach with an unreadable body: "
                            + e.getMessage(),
                    e);
        }
    }

    /** {@code POST validate} for one tenant shard: whether {@code generation} is still its newest. */
    @Override
    public boolean isCurrent(TenantShardId tenantShard, Generation generation) {
        if (generation.isNone()) {
            return false;
        }
        JsonNode answer = post(
                "validate",
                Map.of("tenants", List.of(Map.of("id", tenantShard.toString(), "gen", generation.value()))));
        for (JsonNode t : answer.path("tenants")) {
            if (tenantShard.toString().equals(t.path("id").asString(""))) {
                return t.path("valid").asBoolean(false);
            }
        }
        throw new XenonException(
                ErrorCode.INTERNAL,
                "the storage controller at " + base + " answered validate without tenant " + tenantShard);
    }

    private JsonNode post(String upcall, Object body) {
        URI uri = base.resolve(upcall);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, "the storage controller did not answer POST " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted while calling POST " + uri, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            try {
                return JSON.readTree(response.body());
            } catch (JacksonException e) {
                throw new XenonException(
                        ErrorCode.INTERNAL, "the storage controller answered POST " + uri + " with bad JSON: " + e);
            }
        }
        String text = "the storage controller answered POST " + uri + " with HTTP " + status + ": "
                + message(response.body());
        ErrorCode code = switch (status) {
            case 400, 413, 415, 422 -> ErrorCode.INVALID_ARGUMENT;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            default -> status >= 500 || status == 429 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL;
        };
        throw new XenonException(code, text);
    }

    private static String message(String body) {
        try {
            JsonNode msg = JSON.readTree(body).get("msg");
            if (msg != null && msg.isString()) {
                return msg.asString();
            }
        } catch (JacksonException e) {
            // not {"msg"}: show the body itself
        }
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
