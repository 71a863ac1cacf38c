package io.xenondb.storagenode.remote.sync;

import io.xenondb.storagenode.remote.RemoteStorage;
import io.xenondb.storagenode.remote.S3MockProcess;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** Remote sync and attach against a real S3-protocol server (S3Mock as a process on 127.0.0.1). */
@Tag("storage-node")
class S3RemoteSyncIT extends RemoteSyncContract {
    private static S3MockProcess server;
    private final String prefix = "sync/" + UUID.randomUUID();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3MockProcess.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    RemoteStorage openStorage() {
        return server.config(prefix).open();
    }
}
