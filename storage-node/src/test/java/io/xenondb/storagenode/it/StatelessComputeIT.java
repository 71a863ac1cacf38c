package io.xenondb.storagenode.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.compute.start.Compute;
import io.xenondb.shared.client.StorageNodeClient;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 4, "stateless compute": every committed row is there after the compute is destroyed and a new one starts
 * from a base backup at the latest LSN — also after the storage node restarts, and after kill -9 of the storage
 * node during ingest and during image creation. One cluster for the class; the steps build on each other.
 */
@Tag("storage-node")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatelessComputeIT {
    private static TestCluster cluster;
    private static TenantShardId tenant;
    private static final TimelineId MAIN = TimelineId.generate();
    private static long committed;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(Path.of("target/it/stateless")).start();
        tenant = cluster.attachTenant(TenantConf.defaults());
        try (StorageNodeClient client = cluster.client()) {
            client.timelineCreate(tenant, TimelineCreateRequest.bootstrap(MAIN));
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void rowsSurviveTheComputeBeingDestroyed() throws SQLException {
        Compute first = cluster.primary(tenant, MAIN);
        TestCluster.execute(first, "create table t (id int, v text)");
        for (int i = 0; i < 5; i++) {
            TestCluster.execute(first, "insert into t select g, 'x' from generate_series(1, 200) g");
        }
        committed = 1000;
        cluster.destroy(first);

        Compute second = cluster.primary(tenant, MAIN);
        assertThat(TestCluster.count(second, "t")).isEqualTo(committed);
        TestCluster.execute(second, "insert into t select g, 'y' from generate_series(1, 500) g");
        committed += 500;
        cluster.destroy(second);
    }

    @Test
    @Order(2)
    void rowsSurviveAStorageNodeRestart() throws SQLException {
        cluster.storageNode.stop(Duration.ofSeconds(15));
        cluster.startStorageNode();
        Compute compute = cluster.primary(tenant, MAIN);
        assertThat(TestCluster.count(compute, "t")).isEqualTo(committed);
        cluster.destroy(compute);
    }

    @Test
    @Order(3)
    void rowsSurviveKillNineOfTheStorageNodeDuringIngest() throws Exception {
        Compute compute = cluster.primary(tenant, MAIN);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong inserted = new AtomicLong();
        Thread writer = Thread.ofPlatform().start(() -> {
            try (Connection c = TestCluster.connect(compute);
                    Statement s = c.createStatement()) {
                while (writing.get()) {
                    s.execute("insert into t select g, 'z' from generate_series(1, 100) g");
                    inserted.addAndGet(100);
                }
            } catch (SQLException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(1500);
        cluster.storageNode.kill();
        Thread.sleep(1000); // commits go on: the WAL nodes hold them
        cluster.startStorageNode();
        Thread.sleep(1000);
        writing.set(false);
        writer.join();
        committed += inserted.get();
        assertThat(inserted.get()).isPositive();
        cluster.destroy(compute);

        Compute next = cluster.primary(tenant, MAIN);
        assertThat(TestCluster.count(next, "t")).isEqualTo(committed);
        cluster.destroy(next);
    }

    @Test
    @Order(4)
    void rowsSurviveKillNineOfTheStorageNodeDuringImageCreation() throws Exception {
        Compute compute = cluster.primary(tenant, MAIN);
        TestCluster.execute(compute, "insert into t select g, repeat('w', 200) from generate_series(1, 20000) g");
        committed += 20000;
        Thread checkpoint = Thread.ofPlatform().start(() -> {
            try (StorageNodeClient client = cluster.client()) {
                client.checkpoint(tenant, MAIN);
            } catch (RuntimeException expected) {
                // the node is killed while it answers
            }
        });
        Thread.sleep(700); // the replay worker is replaying
        cluster.storageNode.kill();
        checkpoint.join();
        cluster.startStorageNode();
        cluster.destroy(compute);

        Compute next = cluster.primary(tenant, MAIN);
        assertThat(TestCluster.count(next, "t")).isEqualTo(committed);
        try (StorageNodeClient client = cluster.client()) {
            client.checkpoint(tenant, MAIN); // and images can be made again
        }
        cluster.destroy(next);
        Compute last = cluster.primary(tenant, MAIN);
        assertThat(TestCluster.count(last, "t")).isEqualTo(committed);
    }
}
