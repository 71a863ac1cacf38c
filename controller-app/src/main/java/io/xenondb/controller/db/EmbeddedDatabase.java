package io.xenondb.controller.db;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL 17 of dev mode: a data directory that persists across restarts (initdb the first
 * time), started on a free loopback port with the controller and stopped with it, holding the database
 * {@value #DATABASE}.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    public static final String DATABASE = "storage_controller";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);

    private final PostgresCluster cluster;
    private final DatabaseUrl url;

    private EmbeddedDatabase(PostgresCluster cluster, DatabaseUrl url) {
        this.cluster = cluster;
        this.url = url;
    }

    /** Starts the cluster in {@code dataDir}, creating it and the database the first time. */
    public static EmbeddedDatabase start(PostgresBinaries binaries, Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        PostgresCluster cluster = Files.exists(dir.resolve("PG_VERSION"))
                ? PostgresCluster.open(binaries, dir)
                : PostgresCluster.initdb(binaries, dir, InitdbOptions.defaults());
        if (cluster.pid().isPresent()) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "dev-data-dir: " + dir + " is in use by a running PostgreSQL (pid "
                            + cluster.pid().getAsLong() + "; expected: a directory no other controller uses)");
        }
        int port = FreePorts.allocate();
        cluster.start(port, START_TIMEOUT);
        try {
            createDatabase(cluster);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        DatabaseUrl url = new DatabaseUrl("127.0.0.1", port, cluster.superuser(), "", DATABASE);
        LOG.info("embedded PostgreSQL {} at {} (data {})", binaries.version(), url, dir);
        return new EmbeddedDatabase(cluster, url);
    }

    public DatabaseUrl url() {
        return url;
    }

    @Override
    public void close() {
        cluster.close();
    }

    private static void createDatabase(PostgresCluster cluster) {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.superuser(), "");
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, "embedded PostgreSQL: creating database " + DATABASE + " failed: " + e, e);
        }
    }
}
