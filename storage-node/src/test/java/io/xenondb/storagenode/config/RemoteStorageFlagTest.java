package io.xenondb.storagenode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.storagenode.remote.RemoteStorageConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemoteStorageFlagTest {
    private static StorageNodeProperties withRemote(String remote) {
        return new StorageNodeProperties(
                "1",
                ".",
                ListenAddress.parse("127.0.0.1:9898"),
                ListenAddress.parse("127.0.0.1:51051"),
                "http://127.0.0.1:50051",
                null,
                Duration.ofSeconds(60),
                remote,
                null);
    }

    @Test
    void noRemoteStorageByDefault() {
        assertThat(withRemote(null).remoteStorageConfig()).isEmpty();
        assertThat(withRemote("  ").remoteStorageConfig()).isEmpty();
        assertThat(StorageNodeFlags.FLAGS.usage()).contains("--remote-storage");
    }

    @Test
    void localDirectoryIsParsed() {
        assertThat(withRemote("{local_path='/srv/remote'}").remoteStorageConfig())
                .contains(new RemoteStorageConfig.LocalFs(Path.of("/srv/remote")));
    }

    @Test
    void badTableFailsAtStartNamingTheField() {
        assertThatThrownBy(() -> withRemote("{local_path='/x', colour='red'}"))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("remote_storage.colour");
    }
}
