package io.xenondb.compute.walproposer;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A real PostgreSQL 17 compute for tests: initdb'd under target/, configured for the WAL proposer, started. */
final class TestCompute implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static PostgresBinaries binaries;

    final PostgresCluster cluster;

    private TestCompute(PostgresCluster cluster) {
        this.cluster = cluster;
    }

    static synchronized PostgresBinaries binaries() {
        if (binaries == null) {
            binaries = PostgresBinaries.bundled();
        }
        return binaries;
    }

    /** A fresh cluster in a new directory under {@code parent}, started. */
    static TestCompute start(Path parent) {
        return start(parent, Map.of());
    }

    /** The same with {@code overrides} on top of the compute settings. */
    static TestCompute start(Path parent, Map<String, String> overrides) {
        try {
            Files.createDirectories(parent);
            Path dir = Files.createTempDirectory(parent, "compute-").resolve("data");
            PostgresCluster cluster = PostgresCluster.initdb(binaries(), dir, InitdbOptions.defaults());
            Map<String, String> settings = new HashMap<>(ComputePostgresSettings.forCompute());
            settings.put("max_connections", "30");
            settings.put("shared_buffers", "16MB");
            settings.putAll(overrides);
            cluster.writeConfig(settings);
            cluster.start(FreePorts.allocate(), TIMEOUT);
            return new TestCompute(cluster);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path pgWal() {
        return cluster.dataDir().resolve("pg_wal");
    }

    /** The start of the first segment in pg_wal: where a brand-new timeline's WAL starts. */
    Lsn firstSegmentStart() {
        try (Stream<Path> files = Files.list(pgWal())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(WalSegmentName::isSegmentName)
                    .map(WalSegmentName::parse)
                    .min(Comparable::compareTo)
                    .orElseThrow()
                    .startLsn();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return cluster.jdbcUrl("postgres");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), cluster.superuser(), "");
    }

    Lsn query(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    /** kill -9 of the postmaster; its backends follow it. */
    void kill9() {
        cluster.pid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** A proposer config for this compute on {@code timeline}: a brand-new timeline starting at pg_wal's start. */
    WalProposerConfig newTimelineProposer(
            io.xenondb.shared.id.TenantTimelineId timeline, java.util.List<WalNodeEndpoint> nodes) {
        Lsn start = firstSegmentStart();
        return WalProposerConfig.of(timeline, nodes, url(), cluster.superuser(), pgWal(), start)
                .withTimelineCreation(start)
                .withSettings(ComputeLoop.FAST);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
