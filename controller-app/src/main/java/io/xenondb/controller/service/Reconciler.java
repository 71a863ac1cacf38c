package io.xenondb.controller.service;

import io.xenondb.controller.nodes.ObservedState;
import io.xenondb.controller.nodes.StorageNodeHttp;
import io.xenondb.controller.store.NodeRow;
import io.xenondb.controller.store.TenantShardRepository;
import io.xenondb.controller.store.TenantShardRow;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that drives a tenant shard's storage node to the shard's intent: held AttachedSingle, in the
 * shard's current generation, by the node that generation was issued to. When it is not (a new shard, a node that
 * lost it, a node no longer schedulable), the next generation is issued and stored first, then the node is told.
 * Runs go through a {@link ReconcileQueue}: at most {@code --reconciler-concurrency} at once, never two of one shard.
 * Only runs that called a node count in {@code storage_controller_reconcile_complete_total{result}}.
 */
public final class Reconciler implements AutoCloseable {
    /** Neon's placement policy of a tenant placed nowhere, as stored. */
    public static final String DETACHED = "\"Detached\"";

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TenantShardRepository shards;
    private final StorageNodeHttp http;
    private final ObservedState observed;
    private final Placement placement;
    private final ControllerMetrics metrics;
    private final ReconcileQueue<TenantShardRow> queue;

    public Reconciler(
            TenantShardRepository shards,
            StorageNodeHttp http,
            ObservedState observed,
            Placement placement,
            ControllerMetrics metrics,
            int concurrency) {
        this.shards = shards;
        this.http = http;
        this.observed = observed;
        this.placement = placement;
        this.metrics = metrics;
        this.queue = new ReconcileQueue<>(concurrency, this::run, metrics::reconcileTasks);
    }

    /** True when the shard's node holds it AttachedSingle in its current generation, as last observed. */
    public boolean attachedAsIntended(TenantShardRow shard) {
        if (isDetached(shard)) {
            return true; // placed nowhere on purpose (location_config Detached): nothing to drive
        }
        if (shard.generationNodeId() == null) {
            return false;
        }
        return observed.location(TenantShardId.parse(shard.tenantShardId()), shard.generationNodeId())
                .filter(l -> l.mode() == LocationConfigMode.AttachedSingle
                        && l.generation() != null
                        && l.generation() == shard.generation())
                .isPresent();
    }

    /** Whether the shard's placement policy is Neon's {@code "Detached"}. */
    public static boolean isDetached(TenantShardRow shard) {
        return DETACHED.equals(shard.placementPolicy());
    }

    /** Drives the shard to its intent (queued behind a run of the same shard); its row afterwards. */
    public Mono<TenantShardRow> reconcile(String tenantShardId) {
        return queue.submit(tenantShardId)
                .switchIfEmpty(Mono.error(() -> new XenonException(
                        ErrorCode.UNAVAILABLE, "tenant shard " + tenantShardId + ": the controller is stopping")));
    }

    /**
     * Reconciles every shard {@code which} selects that is not attached as intended, all queued at once (the queue
     * bounds them); failures are logged and counted, not raised. Answers how many were reconciled successfully.
     */
    public Mono<Long> reconcileWhere(Predicate<TenantShardRow> which, String why) {
        return shards.findAll()
                .filter(which)
                .filter(shard -> !attachedAsIntended(shard))
                .flatMap(shard -> reconcile(shard.tenantShardId())
                        .thenReturn(1L)
                        .onErrorResume(e -> {
                            LOG.warn(
                                    "reconcile of tenant shard {} ({}) failed: {}",
                                    shard.tenantShardId(),
                                    why,
                                    e.getMessage());
                            return Mono.just(0L);
                        }))
                .reduce(0L, Long::sum);
    }

    private Mono<TenantShardRow> run(String tenantShardId) {
        // Read now, not when asked: a run queued behind another sees what that one did.
        return shards.findById(tenantShardId)
                .switchIfEmpty(Mono.error(() -> new XenonException(
                        ErrorCode.NOT_FOUND, "tenant shard " + tenantShardId + ": deleted meanwhile")))
                .flatMap(shard -> attachedAsIntended(shard)
                        ? Mono.just(shard)
                        : placement.pickNode(shard).flatMap(node -> attach(shard, node)));
    }

    private Mono<TenantShardRow> attach(TenantShardRow shard, NodeRow node) {
        TenantShardId shardId = TenantShardId.parse(shard.tenantShardId());
        return shards.incrementGeneration(shard.tenantShardId(), node.nodeId())
                .switchIfEmpty(Mono.error(() ->
                        new XenonException(ErrorCode.NOT_FOUND, "tenant " + shard.tenantId() + ": deleted meanwhile")))
                .flatMap(generation -> {
                    LocationConfig config = new LocationConfig(
                            LocationConfigMode.AttachedSingle,
                            generation,
                            null,
                            shard.shardNumber(),
                            shard.shardCount(),
                            shard.stripeSize(),
                            JSON.readValue(shard.config(), TenantConf.class));
                    return http.locationConfig(node, shardId, config)
                            .doOnSuccess(v -> {
                                observed.record(node.nodeId(), shardId, config);
                                LOG.info(
                                        "tenant shard {} attached to node {} in generation {}",
                                        shardId,
                                        node.nodeId(),
                                        generation);
                            })
                            .then(shards.findById(shard.tenantShardId()));
                })
                .doOnSuccess(s -> metrics.reconcileComplete(true))
                .doOnError(e -> metrics.reconcileComplete(false))
                .onErrorMap(
                        e -> !(e instanceof XenonException x) || x.code() != ErrorCode.NOT_FOUND,
                        e -> new XenonException(
                                ErrorCode.UNAVAILABLE,
                                "tenant " + shard.tenantId() + " is stored, but attaching it to storage node "
                                        + node.nodeId() + " failed (repeat the request to retry): " + e.getMessage(),
                                e));
    }

    @Override
    public void close() {
        queue.close();
    }
}
