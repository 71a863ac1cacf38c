package io.xenondb.storagenode.replay;

import io.xenondb.shared.pg.PgControlFile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of a replay worker: a hot standby with no source of WAL but its {@code pg_wal}, nothing
 * shared, small memory. The settings a hot standby must match are at least those in the base's pg_control and
 * at least generous floors, since the WAL replayed may raise them (a standby pauses on lower values).
 */
final class WorkerSettings {
    static final String HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\n";

    private WorkerSettings() {}

    static Map<String, String> of(PgControlFile control) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("hot_standby", "on");
        s.put("archive_mode", "off");
        s.put("restore_command", "");
        s.put("primary_conninfo", "");
        s.put("primary_slot_name", "");
        s.put("synchronous_standby_names", "");
        s.put("wal_retrieve_retry_interval", "20ms");
        s.put("max_connections", atLeast(control.maxConnections(), 200));
        s.put("max_worker_processes", atLeast(control.maxWorkerProcesses(), 16));
        s.put("max_wal_senders", atLeast(control.maxWalSenders(), 16));
        s.put("max_prepared_transactions", atLeast(control.maxPreparedXacts(), 64));
        s.put("max_locks_per_transaction", atLeast(control.maxLocksPerXact(), 128));
        s.put("shared_buffers", "16MB");
        s.put("autovacuum", "off");
        // The image is made durable by the image store; the worker's own directory is scratch.
        s.put("fsync", "off");
        s.put("full_page_writes", "on");
        s.put("wal_level", "replica");
        s.put("max_wal_size", "1GB");
        s.put("hot_standby_feedback", "off");
        return s;
    }

    private static String atLeast(int fromControl, int floor) {
        return Integer.toString(Math.max(fromControl, floor));
    }
}
