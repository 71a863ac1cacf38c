package io.xenondb.compute.ctl;

import io.xenondb.compute.start.Compute;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a running compute once a second over one connection as {@code cloud_admin}: counts the client backends
 * other than its own ({@code pg_stat_activity}) into the {@link ActivityTracker}, suspends the compute when the
 * tracker says it has been idle long enough, and reports it broken when its postmaster is gone.
 */
final class ActivityMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActivityMonitor.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration SUSPEND_STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String CLIENTS = "select count(*) from pg_stat_activity"
            + " where backend_type = 'client backend' and pid <> pg_backend_pid()";

    private final ComputeNode node;
    private final Compute compute;
    private final ActivityTracker tracker;
    private volatile boolean closed;
    private Thread thread;
    private Connection connection;

    private ActivityMonitor(ComputeNode node, Compute compute, ActivityTracker tracker) {
        this.node = node;
        this.compute = compute;
        this.tracker = tracker;
    }

    static ActivityMonitor start(ComputeNode node, Compute compute, ActivityTracker tracker) {
        ActivityMonitor monitor = new ActivityMonitor(node, compute, tracker);
        monitor.thread = Thread.ofVirtual().name("compute-activity-monitor").unstarted(monitor::run);
        monitor.thread.start();
        return monitor;
    }

    private void run() {
        try {
            while (!closed) {
                sleep();
                if (closed) {
                    return;
                }
                if (compute.postgres().pid().isEmpty()) {
                    node.broken("PostgreSQL exited; its log is "
                            + compute.postgres().logFile());
                    return;
                }
                try {
                    tracker.observe(clientConnections());
                } catch (SQLException e) {
                    // A failed look is no activity; the postmaster check above catches a server that is gone.
                    LOG.debug("activity check failed: {}", e.getMessage());
                    disconnect();
                }
                if (tracker.shouldSuspend()) {
                    LOG.info(
                            "no client for the suspend timeout since {}: suspending",
                            tracker.lastActive().orElse(null));
                    closed = true;
                    disconnect();
                    node.terminate(StateFile.Ending.Suspended, SUSPEND_STOP_TIMEOUT);
                    return;
                }
            }
        } finally {
            disconnect();
        }
    }

    private int clientConnections() throws SQLException {
        if (connection == null || connection.isClosed()) {
            Properties properties = new Properties();
            properties.setProperty("user", Compute.SUPERUSER);
            properties.setProperty("ApplicationName", "compute_ctl");
            properties.setProperty("connectTimeout", "5");
            properties.setProperty("socketTimeout", "10");
            connection = DriverManager.getConnection(compute.jdbcUrl("postgres"), properties);
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(CLIENTS)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // going away anyway
            }
            connection = null;
        }
    }

    private void sleep() {
        try {
            Thread.sleep(INTERVAL);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /** Stops watching; waits for the monitor's thread unless called from it (a suspend stops from there). */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() != thread) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
