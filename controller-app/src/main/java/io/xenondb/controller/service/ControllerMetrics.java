package io.xenondb.controller.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.xenondb.controller.nodes.NodeAvailability;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The controller's Prometheus series, with Neon's names: {@code storage_controller_pageserver_nodes} (a gauge: Prometheus
 * names only counters {@code _total}, so the seed's {@code ..._nodes_total} is not possible for it),
 * {@code storage_controller_tenant_slots{scheduling}}, {@code storage_controller_reconcile_complete_total{result}},
 * {@code storage_controller_tenant_shards}, {@code storage_controller_reconciler_tasks_active|queued}, and
 * {@code storage_controller_pageserver_nodes_by_availability{availability}} (from the heartbeats). Counts of rows are
 * refreshed from the database after every change, so they agree with it after a restart too.
 */
public final class ControllerMetrics {
    /** Tenant shard scheduling policies (Neon's {@code ShardSchedulingPolicy}), as label values. */
    static final List<String> SHARD_SCHEDULING = List.of("Active", "Essential", "Pause", "Stop");

    private final DatabaseClient database;
    private final AtomicLong nodes = new AtomicLong();
    private final AtomicLong shards = new AtomicLong();
    private final AtomicLong reconcilesActive = new AtomicLong();
    private final AtomicLong reconcilesQueued = new AtomicLong();
    private final Map<String, AtomicLong> slots = new ConcurrentHashMap<>();
    private final Map<NodeAvailability, AtomicLong> availability = new EnumMap<>(NodeAvailability.class);
    private final Counter reconcileOk;
    private final Counter reconcileError;

    public ControllerMetrics(MeterRegistry registry, DatabaseClient database) {
        this.database = database;
        Gauge.builder("storage_controller_pageserver_nodes", nodes, AtomicLong::get)
                .description("Registered storage nodes")
                .register(registry);
        Gauge.builder("storage_controller_tenant_shards", shards, AtomicLong::get)
                .description("Tenant shards the controller manages")
                .register(registry);
        for (String policy : SHARD_SCHEDULING) {
            AtomicLong count = new AtomicLong();
            slots.put(policy, count);
            Gauge.builder("storage_controller_tenant_slots", count, AtomicLong::get)
                    .description("Tenant shards by scheduling policy")
                    .tag("scheduling", policy.toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        for (NodeAvailability a : NodeAvailability.values()) {
            AtomicLong count = new AtomicLong();
            availability.put(a, count);
            Gauge.builder("storage_controller_pageserver_nodes_by_availability", count, AtomicLong::get)
                    .description("Registered storage nodes by observed availability")
                    .tag("availability", a.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("storage_controller_reconciler_tasks_active", reconcilesActive, AtomicLong::get)
                .register(registry);
        Gauge.builder("storage_controller_reconciler_tasks_queued", reconcilesQueued, AtomicLong::get)
                .register(registry);
        reconcileOk = Counter.builder("storage_controller_reconcile_complete")
                .description("Reconciles (attaching a shard to its node) finished, by result")
                .tag("result", "ok")
                .register(registry);
        reconcileError = Counter.builder("storage_controller_reconcile_complete")
                .tag("result", "error")
                .register(registry);
    }

    /** Re-reads the node and shard counts from the database. */
    public Mono<Void> refresh() {
        Mono<Void> nodeCount = database.sql("SELECT count(*) AS n FROM nodes")
                .map(row -> row.get("n", Long.class))
                .one()
                .doOnNext(nodes::set)
                .then();
        Mono<Void> shardCounts = database.sql(
                        "SELECT scheduling_policy AS p, count(*) AS n FROM tenant_shards GROUP BY scheduling_policy")
                .map(row -> Map.entry(row.get("p", String.class), row.get("n", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .doOnNext(counts -> {
                    shards.set(
                            counts.values().stream().mapToLong(Long::longValue).sum());
                    slots.forEach((policy, count) -> count.set(counts.getOrDefault(policy, 0L)));
                })
                .then();
        return nodeCount.then(shardCounts);
    }

    /** What the reconciler runs now and what waits for a slot. */
    public void reconcileTasks(long active, long queued) {
        reconcilesActive.set(active);
        reconcilesQueued.set(queued);
    }

    /** One reconcile that acted on a node finished. */
    public void reconcileComplete(boolean ok) {
        (ok ? reconcileOk : reconcileError).increment();
    }

    /** The number of registered nodes in each availability (every value given, zeros included). */
    public void nodeAvailability(Map<NodeAvailability, Long> counts) {
        availability.forEach((a, count) -> count.set(counts.getOrDefault(a, 0L)));
    }

    public void reconcileStarted() {
        reconcilesActive.incrementAndGet();
    }

    public void reconcileFinished(boolean ok) {
        reconcilesActive.decrementAndGet();
        (ok ? reconcileOk : reconcileError).increment();
    }

    public long reconcilesActive() {
        return reconcilesActive.get();
    }

    public long reconcilesQueued() {
        return reconcilesQueued.get();
    }
}
