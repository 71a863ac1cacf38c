package io.xenondb.controller.service;

import io.xenondb.controller.nodes.ObservedState;
import io.xenondb.controller.nodes.StorageNodeHttp;
import io.xenondb.controller.store.NodeRepository;
import io.xenondb.controller.store.TenantShardRepository;
import io.xenondb.controller.store.TenantShardRow;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The controller's {@code location_config} routes (Neon's compatibility API for a cloud control plane that
 * manages tenants as locations): an attached mode is an explicit attach — the tenant is created if it is new,
 * otherwise its next generation (at least the one asked for) is issued and its node told; {@code Detached}
 * detaches it and keeps it placed nowhere; {@code Secondary} is not supported yet.
 */
public final class TenantLocations {
    private static final Logger LOG = LoggerFactory.getLogger(TenantLocations.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TenantService tenants;
    private final TenantShardRepository shards;
    private final NodeRepository nodes;
    private final Reconciler reconciler;
    private final ObservedState observed;
    private final StorageNodeHttp http;

    public TenantLocations(
            TenantService tenants,
            TenantShardRepository shards,
            NodeRepository nodes,
            Reconciler reconciler,
            ObservedState observed,
            StorageNodeHttp http) {
        this.tenants = tenants;
        this.shards = shards;
        this.nodes = nodes;
        this.reconciler = reconciler;
        this.observed = observed;
        this.http = http;
    }

    /** Neon's {@code TenantLocationConfigResponse}: {@code {shards: [{shard_id, node_id}], stripe_size}}. */
    public Mono<Map<String, Object>> put(TenantId tenant, LocationRequest request) {
        String id = tenant.toString();
        if (request.mode() == LocationConfigMode.Secondary) {
            return Mono.error(new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "mode: Secondary: secondary locations are not supported yet (expected: AttachedSingle,"
                            + " AttachedMulti, AttachedStale or Detached)"));
        }
        if (request.mode() == LocationConfigMode.Detached) {
            return tenants.shard(tenant).flatMap(this::detach).map(TenantLocations::response);
        }
        return shards.findById(id)
                .flatMap(shard -> attachAgain(shard, request))
                .switchIfEmpty(Mono.defer(() -> create(tenant, request)))
                .map(TenantLocations::response);
    }

    /** How the tenant's node holds it (the node's own answer), or Detached when it is placed nowhere. */
    public Mono<Object> get(TenantId tenant) {
        return tenants.shard(tenant).flatMap(shard -> {
            if (shard.generationNodeId() == null) {
                return Mono.just((Object) Map.of("mode", LocationConfigMode.Detached.name()));
            }
            return nodes.findById(shard.generationNodeId())
                    .flatMap(node -> http.expectSuccess(node, HttpMethod.GET, "/v1/location_config/" + tenant, null))
                    .map(body -> (Object) JSON.readTree(body));
        });
    }

    private Mono<TenantShardRow> create(TenantId tenant, LocationRequest request) {
        ObjectNode config = request.tenantConf() != null ? request.tenantConf() : JSON.createObjectNode();
        TenantCreation creation =
                new TenantCreation(tenant, request.generation(), defaultStripe(), "{\"Attached\":0}", config);
        return tenants.create(creation).then(shards.findById(tenant.toString()));
    }

    private Mono<TenantShardRow> attachAgain(TenantShardRow shard, LocationRequest request) {
        // The next attach issues stored + 1, or the generation asked for if that is higher.
        long floor = request.generation() == null ? 0 : Math.max(0, request.generation() - 1);
        String config = request.tenantConf() != null ? JSON.writeValueAsString(request.tenantConf()) : shard.config();
        String policy = Reconciler.isDetached(shard) ? "{\"Attached\":0}" : shard.placementPolicy();
        return shards.prepareAttach(shard.tenantShardId(), floor, config, policy)
                .flatMap(prepared -> {
                    // Forget what was observed, so the reconcile issues a new generation and tells the node.
                    observed.forget(TenantShardId.parse(prepared.tenantShardId()));
                    return reconciler.reconcile(prepared.tenantShardId());
                });
    }

    private Mono<TenantShardRow> detach(TenantShardRow shard) {
        TenantShardId shardId = TenantShardId.parse(shard.tenantShardId());
        Mono<Void> tellNode = shard.generationNodeId() == null
                ? Mono.empty()
                : nodes.findById(shard.generationNodeId())
                        .flatMap(node -> http.locationConfig(
                                node,
                                shardId,
                                new LocationConfig(LocationConfigMode.Detached, null, null, 0, 0, null, null)));
        return tellNode.then(shards.detach(shard.tenantShardId())).doOnSuccess(s -> {
            observed.forget(shardId);
            LOG.info("tenant shard {} detached (location_config Detached)", shardId);
        });
    }

    private static long defaultStripe() {
        return io.xenondb.shared.id.ShardStripeSize.DEFAULT.pages();
    }

    private static Map<String, Object> response(TenantShardRow shard) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("shard_id", shard.tenantShardId());
        s.put("node_id", shard.generationNodeId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("shards", shard.generationNodeId() == null ? List.of() : List.of(s));
        body.put("stripe_size", shard.stripeSize());
        return body;
    }
}
