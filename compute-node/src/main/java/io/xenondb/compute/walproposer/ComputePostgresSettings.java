package io.xenondb.compute.walproposer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PostgreSQL settings a compute needs for its WAL proposer (write them with
 * {@code PostgresCluster.writeConfig}): WAL for physical replication, and COMMIT waiting until the proposer
 * reports the commit record flushed, which it does only once a quorum of WAL nodes fsynced it.
 */
public final class ComputePostgresSettings {
    private ComputePostgresSettings() {}

    public static Map<String, String> forCompute() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wal_level", "replica");
        settings.put("synchronous_standby_names", PostgresReplication.APPLICATION_NAME);
        settings.put("synchronous_commit", "on");
        // Every page's first change after a checkpoint carries the whole page: the storage node replays from it.
        settings.put("full_page_writes", "on");
        settings.put("max_wal_senders", "10");
        settings.put("max_replication_slots", "10");
        // The slot keeps WAL from the commit LSN on; this keeps a little more for lagging WAL nodes.
        settings.put("wal_keep_size", "64MB");
        return settings;
    }
}
