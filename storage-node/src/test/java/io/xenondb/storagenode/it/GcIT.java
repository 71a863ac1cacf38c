package io.xenondb.storagenode.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.compute.start.Compute;
import io.xenondb.shared.client.StorageNodeClient;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, "GC": with a short retention the physical size drops after churn, while a branch and an LSN lease keep
 * their data readable; a branch or read below the cutoff is refused (406); counts are unchanged after GC.
 */
@Tag("storage-node")
class GcIT {
    private static TestCluster cluster;
    private static StorageNodeClient client;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(Path.of("target/it/gc")).start();
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shortRetentionFreesSpaceButKeepsBranchesAndLeases() throws Exception {
        // Images every MiB of WAL, 1 MiB kept below the tip, no time window, no periodic GC (do_gc runs it).
        TenantShardId tenant = cluster.attachTenant(new TenantConf(1L << 20, 1L << 20, "0s", "0s", null));
        TimelineId main = TimelineId.generate();
        client.timelineCreate(tenant, TimelineCreateRequest.bootstrap(main));
        Compute compute = cluster.primary(tenant, main);
        TestCluster.execute(
                compute, "create table foo (i int)", "insert into foo select g from generate_series(1, 100) g");
        Lsn branchPoint = TestCluster.currentLsn(compute);
        TestCluster.execute(compute, "insert into foo select g from generate_series(1, 50) g");
        Lsn unprotected = TestCluster.currentLsn(compute);
        TestCluster.execute(compute, "insert into foo select g from generate_series(1, 50) g");
        Lsn leased = TestCluster.currentLsn(compute);
        TimelineId keep = TimelineId.generate();
        client.timelineCreate(tenant, TimelineCreateRequest.branch(keep, main, Optional.of(branchPoint)));
        cluster.destroy(cluster.readOnly(tenant, main, leased)); // the storage node has the WAL up to there
        client.leaseLsn(tenant, main, leased);

        TestCluster.execute(
                compute,
                "create table churn (i int, pad text)",
                "insert into churn select g, repeat('p', 100) from generate_series(1, 100000) g");
        for (int round = 0; round < 4; round++) {
            TestCluster.execute(compute, "update churn set i = i + 1");
        }
        // An image's redo point is the compute's last checkpoint: WAL before it can go once an image below the
        // cutoff starts there.
        TestCluster.execute(compute, "checkpoint");
        cluster.destroy(cluster.readOnly(tenant, main, TestCluster.currentLsn(compute)));
        client.checkpoint(tenant, main);
        TestCluster.execute(compute, "update churn set i = i + 1 where i % 4 = 0");
        cluster.destroy(cluster.readOnly(tenant, main, TestCluster.currentLsn(compute)));

        long before = client.tenantDetails(tenant).currentPhysicalSize();
        Map<String, Object> gc = client.doGc(tenant, main, Optional.empty());
        long after = client.tenantDetails(tenant).currentPhysicalSize();
        assertThat(after).as("physical size after GC (%s)", gc).isLessThan(before - (16L << 20));
        assertThat(Lsn.parse((String) gc.get("gc_cutoff_lsn"))).isGreaterThan(leased);

        // Below the cutoff, neither leased nor a branch point: refused.
        assertThatThrownBy(() -> client.timelineCreate(
                        tenant, TimelineCreateRequest.branch(TimelineId.generate(), main, Optional.of(unprotected))))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("below the oldest point");
        assertThatThrownBy(() -> cluster.readOnly(tenant, main, unprotected))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("below its oldest readable lsn");

        // What the branch and the lease need is still there, and nothing else changed.
        assertThat(TestCluster.count(cluster.primary(tenant, keep), "foo")).isEqualTo(100);
        Compute atLease = cluster.readOnly(tenant, main, leased);
        assertThat(TestCluster.count(atLease, "foo")).isEqualTo(200);
        assertThat(TestCluster.count(compute, "foo")).isEqualTo(200);
        assertThat(TestCluster.count(compute, "churn")).isEqualTo(100000);
        cluster.destroy(compute);
        cluster.storageNode.stop(Duration.ofSeconds(15));
        cluster.startStorageNode();
        Compute fresh = cluster.primary(tenant, main);
        assertThat(TestCluster.count(fresh, "foo")).isEqualTo(200);
        assertThat(TestCluster.count(fresh, "churn")).isEqualTo(100000);
    }
}
