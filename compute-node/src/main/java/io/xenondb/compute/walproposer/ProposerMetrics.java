package io.xenondb.compute.walproposer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every metric of a proposer, tagged with its tenant and timeline. In Prometheus form:
 * {@code xenon_walproposer_commit_lsn} (quorum-durable WAL end, as a number), {@code xenon_walproposer_wal_lsn}
 * (end of the local WAL handed to the consensus), {@code xenon_walproposer_commit_lag_bytes} (their distance),
 * {@code xenon_walproposer_term}, {@code xenon_walproposer_elections_total} (terms won),
 * {@code xenon_walproposer_reconnects_total} (per WAL node: sessions started after the first).
 */
public final class ProposerMetrics {
    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicLong commitLsn = new AtomicLong();
    private final AtomicLong walLsn = new AtomicLong();
    private final AtomicLong term = new AtomicLong();
    private final Counter elections;
    private final Map<NodeId, Counter> reconnects = new ConcurrentHashMap<>();

    public ProposerMetrics(MeterRegistry registry, TenantTimelineId timeline) {
        this.registry = registry;
        this.tags = Tags.of(
                "tenant_id",
                timeline.tenantId().toString(),
                "timeline_id",
                timeline.timelineId().toString());
        Gauge.builder("xenon.walproposer.commit.lsn", commitLsn, AtomicLong::get)
                .description("End of the WAL fsynced on a quorum of WAL nodes (reported to PostgreSQL as flushed)")
                .tags(tags)
                .register(registry);
        Gauge.builder("xenon.walproposer.wal.lsn", walLsn, AtomicLong::get)
                .description("End of the local WAL (whole records) handed to the consensus")
                .tags(tags)
                .register(registry);
        Gauge.builder("xenon.walproposer.commit.lag", this, ProposerMetrics::lagBytes)
                .description("WAL bytes handed to the consensus but not yet committed")
                .baseUnit("bytes")
                .tags(tags)
                .register(registry);
        Gauge.builder("xenon.walproposer.term", term, AtomicLong::get)
                .description("The term this proposer campaigns for or won")
                .tags(tags)
                .register(registry);
        elections = Counter.builder("xenon.walproposer.elections")
                .description("Terms won")
                .tags(tags)
                .register(registry);
    }

    /** Metrics nobody reads: for tools and tests that do not export them. */
    public static ProposerMetrics unregistered(TenantTimelineId timeline) {
        return new ProposerMetrics(new SimpleMeterRegistry(), timeline);
    }

    void elected(long wonTerm) {
        term.set(wonTerm);
        elections.increment();
    }

    void commitLsn(Lsn lsn) {
        commitLsn.set(lsn.value());
    }

    void walLsn(Lsn lsn) {
        walLsn.set(lsn.value());
    }

    void reconnected(NodeId node) {
        reconnects
                .computeIfAbsent(
                        node,
                        id -> Counter.builder("xenon.walproposer.reconnects")
                                .description("Sessions with a WAL node started after the first one")
                                .tags(tags.and("node_id", id.toString()))
                                .register(registry))
                .increment();
    }

    public long elections() {
        return (long) elections.count();
    }

    public long reconnects(NodeId node) {
        Counter counter = reconnects.get(node);
        return counter == null ? 0 : (long) counter.count();
    }

    private double lagBytes() {
        long wal = walLsn.get();
        long commit = commitLsn.get();
        return wal > commit ? wal - commit : 0;
    }
}
