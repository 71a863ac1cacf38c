package io.xenondb.storagenode.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.compute.start.Compute;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.client.storagenode.TimelineInfo;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 4, "branches": Neon's test_branch_behind and test_ancestor_branch, with a real compute on each branch. */
@Tag("storage-node")
class BranchesIT {
    @RegisterExtension
    static final ClusterExtension CLUSTER = new ClusterExtension("branches");

    /** Neon's test_branch_behind: branches at old LSNs see exactly what was committed before them. */
    @Test
    void branchBehind() throws Exception {
        TenantShardId tenant = CLUSTER.cluster().attachTenant(TenantConf.defaults());
        TimelineId main = TimelineId.generate();
        TimelineInfo created = CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.bootstrap(main));

        Compute compute = CLUSTER.cluster().primary(tenant, main);
        TestCluster.execute(
                compute, "create table foo (t text)", "insert into foo select 'x' from generate_series(1, 100)");
        Lsn lsn1 = TestCluster.currentLsn(compute);
        TestCluster.execute(compute, "insert into foo select 'y' from generate_series(1, 200000)");
        Lsn lsn2 = TestCluster.currentLsn(compute);
        TestCluster.execute(compute, "insert into foo select 'z' from generate_series(1, 200000)");
        assertThat(TestCluster.count(compute, "foo")).isEqualTo(400100);

        TimelineId atLsn1 = TimelineId.generate();
        TimelineId atLsn2 = TimelineId.generate();
        TimelineInfo b1 =
                CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.branch(atLsn1, main, Optional.of(lsn1)));
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.branch(atLsn2, main, Optional.of(lsn2)));
        assertThat(b1.ancestorTimelineId()).isEqualTo(main);
        assertThat(b1.ancestorLsn()).isLessThanOrEqualTo(lsn1);

        Compute onLsn1 = CLUSTER.cluster().primary(tenant, atLsn1);
        Compute onLsn2 = CLUSTER.cluster().primary(tenant, atLsn2);
        assertThat(TestCluster.count(onLsn1, "foo")).isEqualTo(100);
        assertThat(TestCluster.count(onLsn2, "foo")).isEqualTo(200100);

        // Writes on either side are invisible to the other.
        TestCluster.execute(onLsn1, "insert into foo values ('branch')");
        TestCluster.execute(compute, "insert into foo values ('main')");
        assertThat(TestCluster.count(onLsn1, "foo")).isEqualTo(101);
        assertThat(TestCluster.count(onLsn2, "foo")).isEqualTo(200100);
        assertThat(TestCluster.count(compute, "foo")).isEqualTo(400101);

        // Below the start of the WAL the timeline holds: 406, as in Neon.
        Lsn beforeInitdb = Lsn.of(created.initdbLsn().value() - 8);
        assertThatThrownBy(() -> CLUSTER.client()
                        .timelineCreate(
                                tenant,
                                TimelineCreateRequest.branch(TimelineId.generate(), main, Optional.of(beforeInitdb))))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("below the oldest point");
        // Below the branch point of a branch: 406 too.
        assertThatThrownBy(() -> CLUSTER.client()
                        .timelineCreate(
                                tenant, TimelineCreateRequest.branch(TimelineId.generate(), atLsn2, Optional.of(lsn1))))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("below the oldest point");

        // Each branch survives its compute, and the counts survive a storage node restart.
        CLUSTER.cluster().destroy(onLsn1);
        CLUSTER.cluster().destroy(onLsn2);
        CLUSTER.cluster().destroy(compute);
        CLUSTER.cluster().storageNode.stop(java.time.Duration.ofSeconds(15));
        CLUSTER.cluster().startStorageNode();
        assertThat(TestCluster.count(CLUSTER.cluster().primary(tenant, atLsn1), "foo"))
                .isEqualTo(101);
        assertThat(TestCluster.count(CLUSTER.cluster().primary(tenant, atLsn2), "foo"))
                .isEqualTo(200100);
        assertThat(TestCluster.count(CLUSTER.cluster().primary(tenant, main), "foo"))
                .isEqualTo(400101);
    }

    /** Neon's test_ancestor_branch: main → b1 → b2, 100k rows added on each level. */
    @Test
    void ancestorBranch() throws Exception {
        TenantShardId tenant = CLUSTER.cluster().attachTenant(TenantConf.defaults());
        TimelineId main = TimelineId.generate();
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.bootstrap(main));
        Compute onMain = CLUSTER.cluster().primary(tenant, main);
        TestCluster.execute(
                onMain, "create table foo (i int)", "insert into foo select g from generate_series(1, 100000) g");

        TimelineId b1 = TimelineId.generate();
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.branch(b1, main, Optional.empty()));
        Compute onB1 = CLUSTER.cluster().primary(tenant, b1);
        TestCluster.execute(onB1, "insert into foo select g from generate_series(1, 100000) g");

        TimelineId b2 = TimelineId.generate();
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.branch(b2, b1, Optional.empty()));
        Compute onB2 = CLUSTER.cluster().primary(tenant, b2);
        TestCluster.execute(onB2, "insert into foo select g from generate_series(1, 100000) g");

        assertThat(TestCluster.count(onMain, "foo")).isEqualTo(100000);
        assertThat(TestCluster.count(onB1, "foo")).isEqualTo(200000);
        assertThat(TestCluster.count(onB2, "foo")).isEqualTo(300000);

        // Also from images: a checkpoint on every level, then fresh computes.
        for (TimelineId t : new TimelineId[] {main, b1, b2}) {
            CLUSTER.client().checkpoint(tenant, t);
        }
        CLUSTER.cluster().destroy(onMain);
        CLUSTER.cluster().destroy(onB1);
        CLUSTER.cluster().destroy(onB2);
        assertThat(TestCluster.count(CLUSTER.cluster().primary(tenant, main), "foo"))
                .isEqualTo(100000);
        assertThat(TestCluster.count(CLUSTER.cluster().primary(tenant, b1), "foo"))
                .isEqualTo(200000);
        assertThat(TestCluster.count(CLUSTER.cluster().primary(tenant, b2), "foo"))
                .isEqualTo(300000);
    }
}
