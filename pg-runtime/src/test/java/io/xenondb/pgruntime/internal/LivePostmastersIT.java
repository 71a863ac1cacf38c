package io.xenondb.pgruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.PostgresStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LivePostmastersIT {
    @Test
    void theShutdownHookStopsPostmastersThatWereNotClosed(@TempDir Path tempDir) {
        try (PostgresCluster cluster =
                PostgresCluster.initdb(PostgresBinaries.bundled(), tempDir.resolve("data"), InitdbOptions.defaults())) {
            cluster.start(FreePorts.allocate(), Duration.ofSeconds(60));
            ProcessHandle postmaster =
                    ProcessHandle.of(cluster.pid().orElseThrow()).orElseThrow();

            LivePostmasters.stopAll(); // what the JVM shutdown hook runs

            assertThat(postmaster.isAlive()).isFalse();
            assertThat(cluster.status()).isEqualTo(PostgresStatus.STOPPED);
            // A fast shutdown, not a kill: the server logged its clean end.
            assertThat(cluster.logFile()).content().contains("database system is shut down");
        }
    }
}
