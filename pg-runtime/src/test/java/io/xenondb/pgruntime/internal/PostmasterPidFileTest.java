package io.xenondb.pgruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.PostgresRuntimeException;
import io.xenondb.pgruntime.PostgresStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostmasterPidFileTest {
    // As PostgreSQL 17 writes it: status padded with spaces, shmem key and id separated by spaces.
    private static final String READY =
            "6790\n/tmp/pgr-t/d1\n1795319921\n25432\n/tmp/pgr-t/d1\n127.0.0.1\n" + "  2154518         8\nready   \n";

    @Test
    void parsesAReadyPostmaster() {
        PostmasterPidFile file = PostmasterPidFile.parse(READY);
        assertThat(file.pid()).isEqualTo(6790);
        assertThat(file.singleUser()).isFalse();
        assertThat(file.dataDir()).isEqualTo("/tmp/pgr-t/d1");
        assertThat(file.startTime()).isEqualTo(1795319921L);
        assertThat(file.port()).isEqualTo(25432);
        assertThat(file.socketDir()).isEqualTo("/tmp/pgr-t/d1");
        assertThat(file.listenAddress()).isEqualTo("127.0.0.1");
        assertThat(file.status()).isEqualTo("ready");
        assertThat(file.toStatus()).isEqualTo(PostgresStatus.RUNNING);
    }

    @Test
    void mapsEveryStatusWord() {
        assertThat(withStatus("starting").toStatus()).isEqualTo(PostgresStatus.STARTING);
        assertThat(withStatus("stopping").toStatus()).isEqualTo(PostgresStatus.STOPPING);
        assertThat(withStatus("standby ").toStatus()).isEqualTo(PostgresStatus.STANDBY);
        assertThat(withStatus("ready   ").toStatus()).isEqualTo(PostgresStatus.RUNNING);
    }

    @Test
    void aYoungFileWithoutStatusIsStarting() {
        // The first write has lines 1-5 only; an empty socket directory line means sockets are off.
        PostmasterPidFile file = PostmasterPidFile.parse("77\n/data\n1700000000\n5432\n\n");
        assertThat(file.port()).isEqualTo(5432);
        assertThat(file.socketDir()).isEmpty();
        assertThat(file.status()).isEmpty();
        assertThat(file.toStatus()).isEqualTo(PostgresStatus.STARTING);
    }

    @Test
    void aNegativePidIsASingleUserBackend() {
        PostmasterPidFile file = PostmasterPidFile.parse("-4242\n/data\n1700000000\n5432\n\n\n");
        assertThat(file.pid()).isEqualTo(4242);
        assertThat(file.singleUser()).isTrue();
    }

    @Test
    void garbageIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> PostmasterPidFile.parse(""))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> PostmasterPidFile.parse("abc\n/data\n"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("line 1: 'abc'");
        assertThatThrownBy(() -> PostmasterPidFile.parse("12\n/data\n1700000000\nport\n"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("line 4: 'port'");
        assertThatThrownBy(() -> PostmasterPidFile.parse("12\n/data\n1700000000\n70000\n"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> PostmasterPidFile.parse("0\n"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("non-zero");
    }

    @Test
    void readIsEmptyForAMissingOrHalfWrittenFile(@TempDir Path dataDir) throws IOException {
        assertThat(PostmasterPidFile.read(dataDir)).isEmpty();
        Files.writeString(dataDir.resolve(PostmasterPidFile.FILE_NAME), "");
        assertThat(PostmasterPidFile.read(dataDir)).isEmpty();
        Files.writeString(dataDir.resolve(PostmasterPidFile.FILE_NAME), READY);
        assertThat(PostmasterPidFile.read(dataDir)).contains(PostmasterPidFile.parse(READY));
    }

    @Test
    void aStaleFileNamesNoLiveProcess() {
        // This JVM is alive but is not a postgres binary: a reused pid must not count as a server.
        long self = ProcessHandle.current().pid();
        assertThat(PostmasterPidFile.parse(self + "\n/data\n").processAlive()).isFalse();
    }

    private static PostmasterPidFile withStatus(String status) {
        return PostmasterPidFile.parse(READY.replace("ready   ", status));
    }
}
