package io.xenondb.walnode.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Every metric of the WAL node, with Neon's safekeeper names in their Prometheus form ({@code safekeeper_*}):
 * fsyncs and writes of WAL (whose counts show group commit: fewer fsyncs than appends), per-timeline positions,
 * open streams and broker pushes.
 */
public final class WalNodeMetrics {
    /** Neon's DISK_FSYNC_SECONDS_BUCKETS, extended downwards: a fast disk fsyncs in ~150 µs. */
    private static final Duration[] FSYNC_BUCKETS = {
        Duration.ofNanos(100_000),
        Duration.ofNanos(250_000),
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30)
    };
    /** Neon's buckets of safekeeper_write_wal_bytes. */
    private static final double[] WRITE_BYTES_BUCKETS = {
        1, 10, 100, 1024, 8192, 128 * 1024, 1024 * 1024, 10 * 1024 * 1024
    };

    private final MeterRegistry registry;
    private final Timer flushWal;
    private final Timer writeWal;
    private final DistributionSummary writeWalBytes;
    private final Counter brokerPushedUpdates;
    private final Counter diskIoErrors;
    private final AtomicInteger walReceivers = new AtomicInteger();
    private final AtomicInteger walReaders = new AtomicInteger();

    public WalNodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        flushWal = Timer.builder("safekeeper.flush.wal")
                .description("Seconds spent syncing WAL to a disk (one fsync per group of appends)")
                .serviceLevelObjectives(FSYNC_BUCKETS)
                .register(registry);
        writeWal = Timer.builder("safekeeper.write.wal")
                .description("Seconds spent writing WAL of a single append request (without fsync)")
                .serviceLevelObjectives(FSYNC_BUCKETS)
                .register(registry);
        writeWalBytes = DistributionSummary.builder("safekeeper.write.wal.bytes")
                .description("Bytes written to WAL in a single append request")
                .serviceLevelObjectives(WRITE_BYTES_BUCKETS)
                .register(registry);
        brokerPushedUpdates = Counter.builder("safekeeper.broker.pushed.updates")
                .description("Number of timeline state updates pushed to the broker")
                .register(registry);
        diskIoErrors = Counter.builder("safekeeper.wal.disk.io.errors")
                .description("Number of disk I/O errors on WAL or control files")
                .register(registry);
        Gauge.builder("safekeeper.wal.receivers", walReceivers, AtomicInteger::get)
                .description("Number of open WAL append streams (proposers sending WAL)")
                .register(registry);
        Gauge.builder("safekeeper.wal.readers", walReaders, AtomicInteger::get)
                .description("Number of open WAL read streams")
                .register(registry);
    }

    /** Registers the gauge of the number of timelines this node holds. */
    public void timelineCount(Supplier<Number> count) {
        Gauge.builder("safekeeper.timelines", count, c -> c.get().doubleValue())
                .description("Number of timelines held by this node")
                .strongReference(true)
                .register(registry);
    }

    public void fsync(long nanos) {
        flushWal.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void write(int bytes, long nanos) {
        writeWalBytes.record(bytes);
        writeWal.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void brokerPushed(int updates) {
        brokerPushedUpdates.increment(updates);
    }

    public void diskIoError() {
        diskIoErrors.increment();
    }

    /** Counts an open stream; the returned action counts it closed (call it once). */
    public Runnable walReceiverOpened() {
        walReceivers.incrementAndGet();
        return walReceivers::decrementAndGet;
    }

    public Runnable walReaderOpened() {
        walReaders.incrementAndGet();
        return walReaders::decrementAndGet;
    }

    /** Number of fsyncs of WAL so far (tests compare it with the number of appends). */
    public long fsyncCount() {
        return flushWal.count();
    }

    /** Number of append requests that carried WAL bytes so far. */
    public long writeCount() {
        return writeWalBytes.count();
    }

    /**
     * Registers one timeline's position gauges, read from {@code positions} at scrape time; the returned action
     * removes them (when the timeline is deleted).
     */
    public Runnable timelineGauges(TenantTimelineId timeline, Supplier<TimelinePositions> positions) {
        Tags tags = Tags.of(
                "tenant_id",
                timeline.tenantId().toString(),
                "timeline_id",
                timeline.timelineId().toString());
        List<Meter> meters = new ArrayList<>();
        meters.add(lsnGauge(
                "safekeeper.commit.lsn",
                "Current commit_lsn (not necessarily persisted)",
                tags,
                positions,
                TimelinePositions::commitLsn));
        meters.add(lsnGauge("safekeeper.flush.lsn", "Current flush_lsn", tags, positions, TimelinePositions::flushLsn));
        meters.add(lsnGauge(
                "safekeeper.backup.lsn",
                "Current backup_lsn, up to which WAL is backed up",
                tags,
                positions,
                TimelinePositions::backupLsn));
        meters.add(lsnGauge(
                "safekeeper.peer.horizon.lsn",
                "Current peer_horizon_lsn (truncate_lsn)",
                tags,
                positions,
                TimelinePositions::peerHorizonLsn));
        meters.add(lsnGauge(
                "safekeeper.remote.consistent.lsn",
                "Current remote_consistent_lsn reported by storage nodes",
                tags,
                positions,
                TimelinePositions::remoteConsistentLsn));
        meters.add(gauge("safekeeper.acceptor.term", "Current consensus term", tags, positions, p -> p.term()));
        return () -> meters.forEach(registry::remove);
    }

    private Meter lsnGauge(
            String name,
            String description,
            Tags tags,
            Supplier<TimelinePositions> positions,
            java.util.function.Function<TimelinePositions, Lsn> lsn) {
        // Gauges are doubles: exact for LSNs below 2^53 (8 PiB of WAL).
        return gauge(
                name, description, tags, positions, p -> (double) lsn.apply(p).value());
    }

    private Meter gauge(
            String name,
            String description,
            Tags tags,
            Supplier<TimelinePositions> positions,
            ToDoubleFunction<TimelinePositions> value) {
        return Gauge.builder(name, positions, s -> value.applyAsDouble(s.get()))
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    /** What the per-timeline gauges show. */
    public record TimelinePositions(
            long term, Lsn flushLsn, Lsn commitLsn, Lsn backupLsn, Lsn peerHorizonLsn, Lsn remoteConsistentLsn) {}
}
