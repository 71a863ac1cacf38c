package io.xenondb.storagenode.remote;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

@Tag("storage-node")
class LocalGenerationsTest extends GenerationsContract {
    @TempDir
    Path root;

    @Override
    RemoteStorage storage() {
        return new LocalDirectoryRemoteStorage(root.resolve("remote"));
    }
}
