package io.xenondb.walnode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory is locked while in use and bound to the node id it was first started with. */
class DataDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void recordsTheIdOnFirstStartAndFindsItLater() throws Exception {
        try (DataDirectory first = DataDirectory.open(dir.resolve("wal"), Optional.of(NodeId.of(4)))) {
            assertThat(first.nodeId()).isEqualTo(NodeId.of(4));
        }
        assertThat(Files.readString(dir.resolve("wal").resolve(DataDirectory.ID_FILE)))
                .isEqualTo("4\n");
        try (DataDirectory again = DataDirectory.open(dir.resolve("wal"), Optional.empty())) {
            assertThat(again.nodeId()).isEqualTo(NodeId.of(4));
        }
        assertThatThrownBy(() -> DataDirectory.open(dir.resolve("wal"), Optional.of(NodeId.of(5))))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("--id 5 but datadir")
                .hasMessageContaining("belongs to WAL node 4");
    }

    @Test
    void aDirectoryInUseIsRefusedUntilReleased() {
        DataDirectory held = DataDirectory.open(dir, Optional.of(NodeId.of(1)));
        assertThatThrownBy(() -> DataDirectory.open(dir, Optional.of(NodeId.of(1))))
                .hasMessageContaining("is in use by another WAL node");
        held.close();
        DataDirectory.open(dir, Optional.of(NodeId.of(1))).close();
    }

    @Test
    void withoutAnIdAnywhereTheStartIsRefused() throws Exception {
        assertThatThrownBy(() -> DataDirectory.open(dir, Optional.empty()))
                .hasMessageStartingWith("--id: missing (expected: this WAL node's id");
        Files.writeString(dir.resolve(DataDirectory.ID_FILE), "garbage");
        assertThatThrownBy(() -> DataDirectory.open(dir, Optional.empty()))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAL_CORRUPT))
                .hasMessageContaining("holds 'garbage' (expected: a node id)");
    }
}
