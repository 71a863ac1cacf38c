package io.xenondb.storagenode.it;

import io.xenondb.shared.client.StorageNodeClient;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestCluster} (broker, WAL nodes, storage node) and a client of its storage node for all the tests of
 * a class: {@code @RegisterExtension static final ClusterExtension CLUSTER = new ClusterExtension("name")}; files
 * under {@code target/it/<name>}; everything stopped after the class.
 */
final class ClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private TestCluster cluster;
    private StorageNodeClient client;

    ClusterExtension(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = new TestCluster(Path.of("target/it", name)).start();
        client = cluster.client();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    TestCluster cluster() {
        return cluster;
    }

    StorageNodeClient client() {
        return client;
    }
}
