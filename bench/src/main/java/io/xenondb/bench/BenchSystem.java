package io.xenondb.bench;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xenondb.compute.walproposer.ComputePostgresSettings;
import io.xenondb.compute.walproposer.ProposerMetrics;
import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.compute.walproposer.WalProposer;
import io.xenondb.compute.walproposer.WalProposerConfig;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One system under test: a PostgreSQL 17 alone ({@link #vanilla}) or a compute with its WAL proposer and three
 * WAL-node processes ({@link #xenon}). Both get the same PostgreSQL settings except synchronous replication.
 */
final class BenchSystem implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    final String name;
    final PostgresCluster postgres;
    final List<WalNodeProcess> nodes;
    final TenantTimelineId timeline;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private WalProposer proposer;

    private BenchSystem(String name, PostgresCluster postgres, List<WalNodeProcess> nodes, TenantTimelineId timeline) {
        this.name = name;
        this.postgres = postgres;
        this.nodes = nodes;
        this.timeline = timeline;
    }

    /** The compute's settings minus {@code synchronous_standby_names}: COMMIT waits for the local fsync only. */
    static Map<String, String> vanillaSettings() {
        Map<String, String> settings = new LinkedHashMap<>(ComputePostgresSettings.forCompute());
        settings.remove("synchronous_standby_names");
        // Both systems time their WAL fsyncs, so that pg_stat_wal shows the local share of a commit.
        settings.put("track_wal_io_timing", "on");
        return settings;
    }

    static BenchSystem vanilla(PostgresBinaries binaries, Path dir) {
        PostgresCluster pg = PostgresCluster.initdb(binaries, dir.resolve("vanilla"), InitdbOptions.defaults());
        try {
            pg.writeConfig(vanillaSettings());
            pg.start(FreePorts.allocate(), START_TIMEOUT);
            return new BenchSystem("vanilla", pg, List.of(), null);
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    static BenchSystem xenon(PostgresBinaries binaries, Path dir) {
        List<WalNodeProcess> nodes = new ArrayList<>();
        PostgresCluster pg = null;
        TenantTimelineId timeline = new TenantTimelineId(TenantId.generate(), TimelineId.generate());
        BenchSystem system = null;
        try {
            for (int id = 1; id <= 3; id++) {
                WalNodeProcess node = new WalNodeProcess(id, dir);
                nodes.add(node);
                node.start();
            }
            pg = PostgresCluster.initdb(binaries, dir.resolve("compute"), InitdbOptions.defaults());
            Map<String, String> settings = vanillaSettings();
            settings.putAll(ComputePostgresSettings.forCompute());
            pg.writeConfig(settings);
            pg.start(FreePorts.allocate(), START_TIMEOUT);
            for (WalNodeProcess node : nodes) {
                node.awaitListening();
            }
            system = new BenchSystem("xenon", pg, nodes, timeline);
            system.startProposer();
            return system;
        } catch (RuntimeException e) {
            if (system != null) {
                system.close();
            } else {
                if (pg != null) {
                    pg.close();
                }
                nodes.forEach(WalNodeProcess::close);
            }
            throw e;
        }
    }

    private void startProposer() {
        Lsn start = firstSegmentStart(postgres.dataDir().resolve("pg_wal"));
        List<WalNodeEndpoint> endpoints =
                nodes.stream().map(WalNodeProcess::endpoint).toList();
        WalProposerConfig config = WalProposerConfig.of(
                        timeline,
                        endpoints,
                        postgres.jdbcUrl("postgres"),
                        postgres.superuser(),
                        postgres.dataDir().resolve("pg_wal"),
                        start)
                .withTimelineCreation(start)
                .withProposerId("bench");
        proposer = WalProposer.start(config, new ProposerMetrics(registry, timeline));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!proposer.commitLsn().isValid() || proposer.term().value() == 0) {
            if (proposer.exit().isDone()) {
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "wal proposer ended: " + proposer.exit().join());
            }
            if (System.nanoTime() > deadline) {
                throw new XenonException(ErrorCode.UNAVAILABLE, "wal proposer not elected within " + START_TIMEOUT);
            }
            sleep(50);
        }
    }

    /** WAL bytes handed to the WAL nodes but not yet on a quorum's disks (xenon only; 0 for vanilla). */
    double commitLagBytes() {
        Gauge gauge = registry.find("xenon.walproposer.commit.lag").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    /** The counters now; call after the clients of a phase disconnected. */
    Counters counters() throws SQLException {
        double syncs;
        double syncMillis;
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.superuser(), "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select wal_sync, wal_sync_time from pg_stat_wal")) {
            rs.next();
            syncs = rs.getDouble(1);
            syncMillis = rs.getDouble(2);
        }
        double fsyncs = 0;
        double fsyncSeconds = 0;
        double appends = 0;
        double writeSeconds = 0;
        double nodesCpu = 0;
        for (WalNodeProcess node : nodes) {
            PromText metrics = PromText.fetch(node.metricsUrl());
            fsyncs += metrics.value("safekeeper_flush_wal_seconds_count");
            fsyncSeconds += metrics.value("safekeeper_flush_wal_seconds_sum");
            appends += metrics.value("safekeeper_write_wal_seconds_count");
            writeSeconds += metrics.value("safekeeper_write_wal_seconds_sum");
            nodesCpu += CpuTime.self(node.pid());
        }
        long self = ProcessHandle.current().pid();
        return new Counters(
                syncs,
                syncMillis,
                fsyncs,
                fsyncSeconds,
                appends,
                writeSeconds,
                CpuTime.tree(postgres.pid().orElse(-1)),
                nodesCpu,
                CpuTime.self(self),
                CpuTime.reapedChildren(self));
    }

    @Override
    public void close() {
        if (proposer != null) {
            proposer.close();
            proposer = null;
        }
        postgres.close();
        nodes.forEach(WalNodeProcess::close);
    }

    private static Lsn firstSegmentStart(Path pgWal) {
        try (Stream<Path> files = Files.list(pgWal)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(WalSegmentName::isSegmentName)
                    .map(WalSegmentName::parse)
                    .min(Comparable::compareTo)
                    .orElseThrow(() -> new XenonException(ErrorCode.INTERNAL, "no WAL segment in " + pgWal))
                    .startLsn();
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "cannot list " + pgWal + ": " + e.getMessage(), e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }
}
