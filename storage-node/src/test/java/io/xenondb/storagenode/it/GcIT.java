package io.xenondb.storagenode.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.compute.start.Compute;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4, "GC": with a short retention the physical size drops after churn, while a branch and an LSN lease keep
 * their data readable; a branch or read below the cutoff is refused (406); counts are unchanged after GC.
 */
@Tag("storage-node")
class GcIT {
    @RegisterExtension
    static final ClusterExtension CLUSTER = new ClusterExtension("gc");

    @Test
    void shortRetentionFreesSpaceButKeepsBranchesAndLeases() throws Exception {
        // Images every MiB of WAL, 1 MiB kept below the tip, no time window, no periodic GC (do_gc runs it).
        TenantShardId tenant = CLUSTER.cluster().attachTenant(new TenantConf(1L << 20, 1L << 20, "0s", "0s", null));
        TimelineId main = TimelineId.generate();
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.bootstrap(main));
        Compute compute = CLUSTER.cluster().primary(tenant, main);
        TestCluster.execute(
                compute, "create table foo (i int)", "insert into foo select g from generate_series(1, 100) g");
        Lsn branchPoint = TestCluster.currentLsn(compute);
        TestCluster.execute(compute, "insert into foo select g from generate_series(1, 50) g");
        Lsn unprotected = TestCluster.currentLsn(compute);
        TestCluster.execute(compute, "insert into foo select g from generate_series(1, 50) g");
        Lsn leased = TestCluster.currentLsn(compute);
        TimelineId keep = TimelineId.generate();
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.branch(keep, main, Optional.of(branchPoint)));
        CLUSTER.cluster()
                .destroy(CLUSTER.cluster().readOnly(tenant, main, leased)); // the storage node has the WAL up to there
        CLUSTER.client().leaseLsn(tenant, main, leased);

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
        CLUSTER.cluster().destroy(CLUSTER.cluster().readOnly(tenant, main, TestCluster.currentLsn(compute)));
        CLUSTER.client().checkpoint(tenant, main);
        TestCluster.execute(compute, "update churn set i = i + 1 where i % 4 = 0");
        CLUSTER.cluster().destroy(CLUSTER.cluster().readOnly(tenant, main, TestCluster.currentLsn(compute)));

        long before = CLUSTER.client().tenantDetails(tenant).currentPhysicalSize();
        Map<String, Object> gc = CLUSTER.client().doGc(tenant, main, Optional.empty());
        long after = CLUSTER.client().tenantDetails(tenant).currentPhysicalSize();
        assertThat(after).as("physical size after GC (%s)", gc).isLessThan(before - (16L << 20));
        assertThat(Lsn.parse((String) gc.get("gc_cutoff_lsn"))).isGreaterThan(leased);

        // Below the cutoff, neither leased nor a branch point: refused.
        assertThatThrownBy(() -> CLUSTER.client()
                        .timelineCreate(
                                tenant,
                                TimelineCreateRequest.branch(TimelineId.generate(), main, Optional.of(unprotected))))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("below the oldest point");
        assertThatThrownBy(() -> CLUSTER.cluster().readOnly(tenant, main, unprotected))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("below its oldest readable lsn");

        // What the branch and the lease need is still there, and nothing else changed.
        assertThat(TestCluster.count(CLUSTER.cluster().primary(tenant, keep), "foo"))
                .isEqualTo(100);
        Compute atLease = CLUSTER.cluster().readOnly(tenant, main, leased);
        assertThat(TestCluster.count(atLease, "foo")).isEqualTo(200);
        assertThat(TestCluster.count(compute, "foo")).isEqualTo(200);
        assertThat(TestCluster.count(compute, "churn")).isEqualTo(100000);
        CLUSTER.cluster().destroy(compute);
        CLUSTER.cluster().storageNode.stop(Duration.ofSeconds(15));
        CLUSTER.cluster().startStorageNode();
        Compute fresh = CLUSTER.cluster().primary(tenant, main);
        assertThat(TestCluster.count(fresh, "foo")).isEqualTo(200);
        assertThat(TestCluster.count(fresh, "churn")).isEqualTo(100000);
    }
}
