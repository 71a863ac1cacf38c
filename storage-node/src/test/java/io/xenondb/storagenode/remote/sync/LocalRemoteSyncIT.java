package io.xenondb.storagenode.remote.sync;

import io.xenondb.storagenode.remote.RemoteStorage;
import io.xenondb.storagenode.remote.RemoteStorageConfig;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;

/** Remote sync and attach with a local directory as the object store. */
@Tag("storage-node")
class LocalRemoteSyncIT extends RemoteSyncContract {
    private final Path remote =
            Path.of("target", "remote-sync-it", "remote-" + UUID.randomUUID()).toAbsolutePath();

    @Override
    RemoteStorage openStorage() {
        return new RemoteStorageConfig.LocalFs(remote).open();
    }
}
