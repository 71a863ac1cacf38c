package io.xenondb.controller.service;

import io.xenondb.controller.nodes.ObservedState;
import io.xenondb.controller.nodes.StorageNodeHttp;
import io.xenondb.controller.store.NodeRepository;
import io.xenondb.controller.store.NodeRow;
import io.xenondb.controller.store.TenantRepository;
import io.xenondb.controller.store.TenantRow;
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
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tenants: creation (placement on the least loaded Active node, a generation stored before the attach), listing,
 * description and deletion. Unsharded only for now: every tenant has one shard, {@code tenant_shard_id =
 * tenant_id}.
 */
public final class TenantService {
    private static final Logger LOG = LoggerFactory.getLogger(TenantService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TenantRepository tenants;
    private final TenantShardRepository shards;
    private final NodeRepository nodes;
    private final R2dbcEntityTemplate template;
    private final TransactionalOperator transactions;
    private final StorageNodeHttp http;
    private final ObservedState observed;
    private final ControllerMetrics metrics;
    private final Reconciler reconciler;

    public TenantService(
            TenantRepository tenants,
            TenantShardRepository shards,
            NodeRepository nodes,
            R2dbcEntityTemplate template,
            TransactionalOperator transactions,
            StorageNodeHttp http,
            ObservedState observed,
            ControllerMetrics metrics,
            Reconciler reconciler) {
        this.tenants = tenants;
        this.shards = shards;
        this.nodes = nodes;
        this.template = template;
        this.transactions = transactions;
        this.http = http;
        this.observed = observed;
        this.metrics = metrics;
        this.reconciler = reconciler;
    }

    /**
     * Creates a tenant, or (idempotently) answers an existing one, attaching it again if its node does not hold
     * it in its current generation. Answers Neon's {@code TenantCreateResponse}.
     */
    public Mono<Map<String, Object>> create(TenantCreation request) {
        String id = request.tenantId().toString();
        return shards.findById(id)
                .switchIfEmpty(Mono.defer(() -> insert(request)))
                .flatMap(this::ensureAttached)
                .map(shard -> createResponse(request.tenantId(), shard))
                .flatMap(body -> metrics.refresh().thenReturn(body));
    }

    private Mono<TenantShardRow> insert(TenantCreation request) {
        String id = request.tenantId().toString();
        // A new tenant's first attach issues its first generation: the one asked for, else 1.
        long generation = request.generation() == null ? 0 : Math.max(0, request.generation() - 1);
        TenantShardRow row = new TenantShardRow(
                id,
                id,
                0,
                0,
                request.stripeSize(),
                generation,
                null,
                request.placementPolicy(),
                JSON.writeValueAsString(request.config()),
                "Active",
                null);
        return template.insert(new TenantRow(id))
                .then(template.insert(row))
                .as(transactions::transactional)
                .onErrorMap(
                        DuplicateKeyException.class,
                        e -> new XenonException(
                                ErrorCode.CONFLICT, "tenant " + id + ": being created by another request"));
    }

    /**
     * Makes the shard's node hold it AttachedSingle in its current generation: nothing to do when it does (as last
     * observed), else a run of the {@link Reconciler} (the next generation stored first, then the node told).
     */
    public Mono<TenantShardRow> ensureAttached(TenantShardRow shard) {
        return reconciler.attachedAsIntended(shard) ? Mono.just(shard) : reconciler.reconcile(shard.tenantShardId());
    }

    /** The tenant's shard; NOT_FOUND if there is no such tenant. */
    public Mono<TenantShardRow> shard(TenantId tenant) {
        return shards.findById(tenant.toString())
                .switchIfEmpty(Mono.error(() -> new XenonException(
                        ErrorCode.NOT_FOUND, "tenant " + tenant + ": not found (see GET /control/v1/tenant)")));
    }

    /** The node the tenant's current generation belongs to. */
    public Mono<NodeRow> attachedNode(TenantShardRow shard) {
        if (shard.generationNodeId() == null) {
            return Mono.error(new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "tenant " + shard.tenantId() + ": not attached to any storage node yet (repeat POST /v1/tenant)"));
        }
        return nodes.findById(shard.generationNodeId());
    }

    /** Neon's {@code TenantDescribeResponse}. */
    public Mono<Map<String, Object>> describe(TenantId tenant) {
        return shard(tenant).map(this::description);
    }

    /** A page of tenant descriptions in id order. */
    public Flux<Map<String, Object>> list(int limit, String startAfter) {
        return tenants.page(startAfter == null ? "" : startAfter, limit)
                .concatMap(t -> shards.findById(t.tenantId()))
                .map(this::description);
    }

    /** Detaches the tenant from its node, then removes its rows. */
    public Mono<Void> delete(TenantId tenant) {
        TenantShardId shardId = TenantShardId.unsharded(tenant);
        return shard(tenant)
                .flatMap(shard -> shard.generationNodeId() == null
                        ? Mono.empty()
                        : nodes.findById(shard.generationNodeId())
                                .flatMap(node -> http.locationConfig(
                                        node,
                                        shardId,
                                        new LocationConfig(LocationConfigMode.Detached, null, null, 0, 0, null, null))))
                .then(tenants.deleteById(tenant.toString()))
                .doOnSuccess(v -> {
                    observed.forget(shardId);
                    LOG.info("tenant {} deleted", tenant);
                })
                .then(metrics.refresh());
    }

    private Map<String, Object> createResponse(TenantId tenant, TenantShardRow shard) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("shard_id", shard.tenantShardId());
        s.put("node_id", shard.generationNodeId());
        s.put("generation", shard.generation());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_id", tenant.toString());
        body.put("shards", List.of(s));
        return body;
    }

    private Map<String, Object> description(TenantShardRow shard) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("tenant_shard_id", shard.tenantShardId());
        s.put("node_attached", shard.generationNodeId());
        s.put("node_secondary", List.of());
        s.put("generation", shard.generation());
        s.put("last_error", "");
        s.put("is_reconciling", false);
        s.put("is_pending_compute_notification", false);
        s.put("is_splitting", false);
        s.put("is_importing", false);
        s.put("scheduling_policy", shard.schedulingPolicy());
        s.put("preferred_az_id", shard.preferredAzId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_id", shard.tenantId());
        body.put("shards", List.of(s));
        body.put("stripe_size", shard.stripeSize());
        body.put("policy", JSON.readTree(shard.placementPolicy()));
        body.put("config", JSON.readTree(shard.config()));
        return body;
    }
}
