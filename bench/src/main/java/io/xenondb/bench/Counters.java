package io.xenondb.bench;

/**
 * Cumulative counters of a system under test at one moment; {@link #minus} gives what a phase used.
 *
 * @param pgWalSyncs PostgreSQL's own WAL fsyncs ({@code pg_stat_wal.wal_sync})
 * @param pgWalSyncMillis their total time ({@code wal_sync_time}, with {@code track_wal_io_timing})
 * @param nodeFsyncs WAL-node fsyncs, summed over the nodes ({@code safekeeper_flush_wal_seconds_count})
 * @param nodeFsyncSeconds their total time
 * @param nodeAppends WAL-node append requests written ({@code safekeeper_write_wal_seconds_count})
 * @param nodeWriteSeconds their total write time (without fsync)
 * @param postgresCpu CPU seconds of the postmaster and its backends
 * @param nodesCpu CPU seconds of the WAL-node processes
 * @param benchCpu CPU seconds of this JVM (the WAL proposer, and the JDBC client when it runs)
 * @param childrenCpu CPU seconds of this JVM's exited children (the pgbench runs)
 */
record Counters(
        double pgWalSyncs,
        double pgWalSyncMillis,
        double nodeFsyncs,
        double nodeFsyncSeconds,
        double nodeAppends,
        double nodeWriteSeconds,
        double postgresCpu,
        double nodesCpu,
        double benchCpu,
        double childrenCpu) {
    Counters minus(Counters before) {
        return new Counters(
                pgWalSyncs - before.pgWalSyncs,
                pgWalSyncMillis - before.pgWalSyncMillis,
                nodeFsyncs - before.nodeFsyncs,
                nodeFsyncSeconds - before.nodeFsyncSeconds,
                nodeAppends - before.nodeAppends,
                nodeWriteSeconds - before.nodeWriteSeconds,
                postgresCpu - before.postgresCpu,
                nodesCpu - before.nodesCpu,
                benchCpu - before.benchCpu,
                childrenCpu - before.childrenCpu);
    }
}
