package io.xenondb.storagenode.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.xenondb.storagenode.tenant.Tenant;
import io.xenondb.storagenode.tenant.TenantManager;
import io.xenondb.storagenode.timeline.Timeline;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Per-timeline and per-tenant metrics with Neon's pageserver names ({@code pageserver_last_record_lsn},
 * {@code pageserver_disk_consistent_lsn}, {@code pageserver_resident_physical_size},
 * {@code pageserver_wal_ingest_bytes_received_total}, ...), labelled {@code tenant_id}, {@code shard_id},
 * {@code timeline_id} as Neon's. Meters of new timelines are registered every few seconds; those of deleted
 * ones are removed.
 */
public final class StorageNodeMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final TenantManager tenants;
    private final Set<Timeline> registered = new HashSet<>();
    private final Set<Tenant> registeredTenants = new HashSet<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("metrics").daemon().factory());

    public StorageNodeMetrics(MeterRegistry registry, TenantManager tenants) {
        this.registry = registry;
        this.tenants = tenants;
        Gauge.builder("pageserver_tenant_count", tenants, t -> t.tenants().size())
                .description("Tenant shards attached to this node")
                .register(registry);
        refresh();
        refresher.scheduleWithFixedDelay(this::refresh, 2, 2, TimeUnit.SECONDS);
    }

    synchronized void refresh() {
        Set<Timeline> live = new HashSet<>();
        Set<Tenant> liveTenants = new HashSet<>();
        for (Tenant tenant : tenants.tenants()) {
            liveTenants.add(tenant);
            if (registeredTenants.add(tenant)) {
                Tags tags = Tags.of(
                        "tenant_id",
                        tenant.id().tenantId().toString(),
                        "shard_id",
                        tenant.id().shard().toString());
                Gauge.builder("pageserver_resident_physical_size", tenant, Tenant::physicalSize)
                        .description("Bytes the tenant shard's images and WAL take on local disk")
                        .baseUnit("bytes")
                        .tags(tags)
                        .register(registry);
            }
            for (Timeline timeline : tenant.timelines()) {
                live.add(timeline);
                if (registered.add(timeline)) {
                    register(tenant, timeline);
                }
            }
        }
        for (Timeline gone : Set.copyOf(registered)) {
            if (!live.contains(gone)) {
                registered.remove(gone);
                registry.getMeters().stream()
                        .filter(m -> gone.id().toString().equals(m.getId().getTag("timeline_id")))
                        .forEach(registry::remove);
            }
        }
        for (Tenant gone : Set.copyOf(registeredTenants)) {
            if (!liveTenants.contains(gone)) {
                registeredTenants.remove(gone);
                registry.getMeters().stream()
                        .filter(m ->
                                gone.id().tenantId().toString().equals(m.getId().getTag("tenant_id")))
                        .forEach(registry::remove);
            }
        }
    }

    private void register(Tenant tenant, Timeline timeline) {
        Tags tags = Tags.of(
                "tenant_id", tenant.id().tenantId().toString(),
                "shard_id", tenant.id().shard().toString(),
                "timeline_id", timeline.id().toString());
        Gauge.builder("pageserver_last_record_lsn", timeline, t ->
                        (double) t.lastRecordLsn().value())
                .description("End of the last WAL record ingested")
                .tags(tags)
                .register(registry);
        Gauge.builder("pageserver_disk_consistent_lsn", timeline, t ->
                        (double) t.diskConsistentLsn().value())
                .description("WAL below this is in local files")
                .tags(tags)
                .register(registry);
        Gauge.builder("pageserver_remote_consistent_lsn", timeline, t ->
                        (double) t.remoteConsistentLsn().value())
                .description("WAL below this is in object storage")
                .tags(tags)
                .register(registry);
        Gauge.builder("pageserver_gc_cutoff_lsn", timeline, t ->
                        (double) t.metadata().gcCutoffLsn().value())
                .description("Reads below this are refused unless leased")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("pageserver_wal_ingest_bytes_received", timeline, Timeline::bytesIngested)
                .description("WAL bytes received from WAL nodes")
                .baseUnit("bytes")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("pageserver_wal_ingest_records_received", timeline, Timeline::recordsIngested)
                .description("WAL records decoded by ingest")
                .tags(tags)
                .register(registry);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
