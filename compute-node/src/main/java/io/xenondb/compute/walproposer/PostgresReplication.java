package io.xenondb.compute.walproposer;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * A physical replication connection to the compute's PostgreSQL (pgjdbc): identifies the cluster, keeps the
 * proposer's replication slot and starts streaming. The application name is what
 * {@code synchronous_standby_names} lists, so PostgreSQL's COMMIT waits for what this client reports as flushed.
 */
final class PostgresReplication implements AutoCloseable {
    /** The application name PostgreSQL's synchronous replication waits for. */
    static final String APPLICATION_NAME = "walproposer";

    /** What IDENTIFY_SYSTEM and SHOW tell about the cluster. */
    record Identity(long systemId, long timeline, int serverVersionNum, int walSegmentSize) {}

    private final Connection connection;
    private final String url;

    private PostgresReplication(Connection connection, String url) {
        this.connection = connection;
        this.url = url;
    }

    /** Opens a physical replication connection ({@code replication=true}) to {@code url} as {@code user}. */
    static PostgresReplication connect(String url, String user, Duration timeout) {
        Properties props = new Properties();
        PGProperty.USER.set(props, user);
        // "true" is physical replication; "database" would be logical.
        PGProperty.REPLICATION.set(props, "true");
        // A walsender speaks only the simple query protocol and answers none of the driver's startup queries.
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.APPLICATION_NAME.set(props, APPLICATION_NAME);
        PGProperty.CONNECT_TIMEOUT.set(props, (int) Math.max(1, timeout.toSeconds()));
        try {
            return new PostgresReplication(DriverManager.getConnection(url, props), url);
        } catch (SQLException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "replication connection to " + url + " as " + user + ": " + e.getMessage(),
                    e);
        }
    }

    Identity identify() {
        try (Statement statement = connection.createStatement()) {
            long systemId;
            long timeline;
            try (ResultSet rs = statement.executeQuery("IDENTIFY_SYSTEM")) {
                rs.next();
                systemId = Long.parseUnsignedLong(rs.getString("systemid"));
                timeline = rs.getLong("timeline");
            }
            int version = Integer.parseInt(show(statement, "server_version_num"));
            int segmentSize = parseSize(show(statement, "wal_segment_size"));
            return new Identity(systemId, timeline, version, segmentSize);
        } catch (SQLException | NumberFormatException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "identifying " + url + ": " + e.getMessage(), e);
        }
    }

    /** Creates the physical slot {@code slot}, reserving WAL at once, unless it exists. */
    void ensureSlot(String slot) {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("READ_REPLICATION_SLOT " + slot)) {
                if (rs.next() && rs.getString("slot_type") != null) {
                    if (!"physical".equals(rs.getString("slot_type"))) {
                        throw new XenonException(
                                ErrorCode.CONFLICT,
                                "replication slot " + slot + " on " + url + " is " + rs.getString("slot_type")
                                        + " (expected: physical)");
                    }
                    return;
                }
            }
            statement.execute("CREATE_REPLICATION_SLOT " + slot + " PHYSICAL (RESERVE_WAL)");
        } catch (SQLException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, "replication slot " + slot + " on " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * START_REPLICATION SLOT {@code slot} PHYSICAL {@code start}. Automatic flush stays off: pgjdbc would
     * otherwise acknowledge WAL as flushed that was never made durable anywhere.
     */
    PGReplicationStream startStreaming(String slot, Lsn start, Duration statusInterval) {
        try {
            return connection
                    .unwrap(PGConnection.class)
                    .getReplicationAPI()
                    .replicationStream()
                    .physical()
                    .withSlotName(slot)
                    .withStartPosition(LogSequenceNumber.valueOf(start.value()))
                    .withStatusInterval((int) statusInterval.toMillis(), TimeUnit.MILLISECONDS)
                    .withAutomaticFlush(false)
                    .start();
        } catch (SQLException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, "START_REPLICATION at " + start + " on " + url + ": " + e.getMessage(), e);
        }
    }

    /** Closes the socket at once, also while another thread is blocked reading from it. */
    void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        abort();
    }

    private static String show(Statement statement, String name) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** PostgreSQL's memory units as SHOW prints them, e.g. {@code 16MB}. */
    static int parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long factor = 1;
        if (t.endsWith("KB")) {
            factor = 1024;
        } else if (t.endsWith("MB")) {
            factor = 1024 * 1024;
        } else if (t.endsWith("GB")) {
            factor = 1024L * 1024 * 1024;
        }
        String digits = factor == 1 ? t.replaceAll("B$", "") : t.substring(0, t.length() - 2);
        return Math.toIntExact(Long.parseLong(digits.trim()) * factor);
    }
}
