package io.xenondb.compute.ctl;

import io.xenondb.compute.start.Compute;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.PostgresRuntimeException;
import io.xenondb.pgruntime.StopMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A postmaster left running in the data directory by a compute_ctl that was killed (kill -9 leaves its child
 * PostgreSQL behind). The next start stops it through its {@code postmaster.pid} before it wipes the directory:
 * immediate mode, since what it committed is on the WAL nodes already and the directory is discarded.
 */
final class OrphanPostmaster {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanPostmaster.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private OrphanPostmaster() {}

    /** Stops a live postmaster of {@code pgdata}; returns whether there was one. */
    static boolean stopIfRunning(PostgresBinaries binaries, Path pgdata) {
        if (!Files.isRegularFile(pgdata.resolve("postmaster.pid"))) {
            return false;
        }
        PostgresCluster orphan;
        try {
            orphan = PostgresCluster.open(binaries, pgdata, Compute.SUPERUSER);
        } catch (PostgresRuntimeException e) {
            return false; // not a whole data directory: nothing can be running on it
        }
        if (orphan.pid().isEmpty()) {
            return false;
        }
        LOG.warn(
                "stopping the postmaster (pid {}) a previous compute_ctl left running on {}",
                orphan.pid().getAsLong(),
                pgdata);
        orphan.stop(StopMode.IMMEDIATE, STOP_TIMEOUT);
        return true;
    }
}
