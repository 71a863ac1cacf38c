package io.xenondb.storagenode.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("storage-node")
class LocalDirectoryRemoteStorageTest extends RemoteStorageContract {
    @TempDir
    Path root;

    @Override
    RemoteStorage storage() {
        return new LocalDirectoryRemoteStorage(root.resolve("remote"));
    }

    @Test
    void objectsAreFilesUnderTheRootAndTempFilesAreNeverListed() throws Exception {
        LocalDirectoryRemoteStorage storage = new LocalDirectoryRemoteStorage(root.resolve("remote"));
        storage.upload(RemoteKey.of("a/b"), new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(root.resolve("remote/a/b"))).containsExactly(1, 2, 3);
        // What a crash in the middle of an upload leaves behind.
        Files.write(root.resolve("remote/a/b" + LocalDirectoryRemoteStorage.TEMP_SUFFIX + "-123"), new byte[7]);
        assertThat(storage.list("")).containsExactly(new RemoteObject(RemoteKey.of("a/b"), 3));
        assertThatThrownBy(() ->
                        storage.upload(RemoteKey.of("a/c" + LocalDirectoryRemoteStorage.TEMP_SUFFIX), new byte[1]))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void aKeyUnderAnObjectIsAConflictNotACrash() {
        LocalDirectoryRemoteStorage storage = new LocalDirectoryRemoteStorage(root.resolve("remote"));
        storage.upload(RemoteKey.of("a/b"), new byte[1]);
        assertThatThrownBy(() -> storage.upload(RemoteKey.of("a/b/c"), new byte[1]))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThatThrownBy(() -> storage.upload(RemoteKey.of("a"), new byte[1]))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThatThrownBy(() -> storage.download(RemoteKey.of("a")))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(storage.exists(RemoteKey.of("a"))).isFalse();
    }

    @Test
    void configOpensALocalStorage() throws Exception {
        RemoteStorageConfig config = RemoteStorageConfig.parse("{local_path='" + root.resolve("cfg") + "'}");
        try (RemoteStorage storage = config.open()) {
            storage.upload(RemoteKey.of("k"), new byte[] {9});
        }
        assertThat(Files.readAllBytes(root.resolve("cfg/k"))).containsExactly(9);
    }
}
