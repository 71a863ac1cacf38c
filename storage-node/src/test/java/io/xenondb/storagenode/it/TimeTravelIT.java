package io.xenondb.storagenode.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.compute.start.Compute;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 4, "time travel": Neon's test_timetravel and test_lsn_mapping with read-only computes. */
@Tag("storage-node")
class TimeTravelIT {
    @RegisterExtension
    static final ClusterExtension CLUSTER = new ClusterExtension("timetravel");

    /** Five UPDATE generations, images in between, a storage node restart: each LSN shows only its generation. */
    @Test
    void readOnlyComputesSeeOnlyTheirGeneration() throws Exception {
        TenantShardId tenant = CLUSTER.cluster().attachTenant(TenantConf.defaults());
        TimelineId main = TimelineId.generate();
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.bootstrap(main));
        Compute compute = CLUSTER.cluster().primary(tenant, main);
        TestCluster.execute(
                compute,
                "create extension pageinspect",
                "create table foo (id int primary key, gen int)",
                "insert into foo select g, 0 from generate_series(1, 1000) g");
        List<Lsn> generations = new ArrayList<>();
        for (int gen = 1; gen <= 5; gen++) {
            TestCluster.execute(compute, "update foo set gen = " + gen);
            generations.add(TestCluster.currentLsn(compute));
            if (gen % 2 == 0) {
                CLUSTER.client().checkpoint(tenant, main); // some generations have an image at or below them, some not
            }
        }
        CLUSTER.cluster().destroy(compute);
        CLUSTER.cluster().storageNode.stop(Duration.ofSeconds(15));
        CLUSTER.cluster().startStorageNode();

        for (int gen = 1; gen <= 5; gen++) {
            Compute readOnly = CLUSTER.cluster().readOnly(tenant, main, generations.get(gen - 1));
            if (gen == 3 || gen == 4) {
                // Generation 4 has an image at its LSN, 3 has none: pages must be exact either way.
                samePagesAsTheCompute(tenant, main, readOnly, generations.get(gen - 1));
            }
            assertThat(distinctGenerations(readOnly)).as("generation %d", gen).containsExactly(gen);
            assertThat(TestCluster.count(readOnly, "foo")).isEqualTo(1000);
            assertThatThrownBy(() -> TestCluster.execute(readOnly, "insert into foo values (0, 0)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only");
            CLUSTER.cluster().destroy(readOnly);
        }
    }

    /** get_lsn_by_timestamp: future, past and present, and a compute at the answer sees exactly the commits by then. */
    @Test
    void lsnByTimestamp() throws Exception {
        TenantShardId tenant = CLUSTER.cluster().attachTenant(TenantConf.defaults());
        TimelineId main = TimelineId.generate();
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.bootstrap(main));
        Compute compute = CLUSTER.cluster().primary(tenant, main);
        TestCluster.execute(compute, "create table bar (i int)");
        List<Instant> after = new ArrayList<>();
        try (Connection c = TestCluster.connect(compute);
                Statement s = c.createStatement()) {
            for (int i = 1; i <= 10; i++) {
                s.execute("insert into bar values (" + i + ")");
                after.add(Instant.now());
                Thread.sleep(30);
            }
        }
        Lsn end = TestCluster.currentLsn(compute);
        Compute waiter = CLUSTER.cluster().readOnly(tenant, main, end); // the storage node has ingested it all
        CLUSTER.cluster().destroy(waiter);

        Map<String, Object> future =
                CLUSTER.client().lsnByTimestamp(tenant, main, Instant.now().plus(Duration.ofDays(1)));
        assertThat(future.get("kind")).isEqualTo("future");
        Map<String, Object> past = CLUSTER.client().lsnByTimestamp(tenant, main, Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(past.get("kind")).isEqualTo("past");

        for (int rows : new int[] {3, 7}) {
            Map<String, Object> present = CLUSTER.client().lsnByTimestamp(tenant, main, after.get(rows - 1));
            assertThat(present.get("kind")).isEqualTo("present");
            Compute at = CLUSTER.cluster().readOnly(tenant, main, Lsn.parse((String) present.get("lsn")));
            assertThat(TestCluster.count(at, "bar"))
                    .as("rows committed by insert %d", rows)
                    .isEqualTo(rows);
            CLUSTER.cluster().destroy(at);
        }

        // A branch has its ancestor's commits below its branch point only: main's later commits are not its own.
        TimelineId branch = TimelineId.generate();
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.branch(branch, main, java.util.Optional.of(end)));
        TestCluster.execute(compute, "insert into bar values (11)");
        Instant between = Instant.now(); // after main's commit 11, before its commit 12
        Thread.sleep(30);
        TestCluster.execute(compute, "insert into bar values (12)");
        CLUSTER.cluster().destroy(CLUSTER.cluster().readOnly(tenant, main, TestCluster.currentLsn(compute)));
        Lsn branchPoint = CLUSTER.client().timelineInfo(tenant, branch).ancestorLsn();
        Map<String, Object> onBranch = CLUSTER.client().lsnByTimestamp(tenant, branch, between);
        assertThat(onBranch.get("kind"))
                .as("every commit of the branch's history is earlier")
                .isEqualTo("future");
        assertThat(Lsn.parse((String) onBranch.get("lsn"))).isLessThanOrEqualTo(branchPoint);
        Map<String, Object> onMain = CLUSTER.client().lsnByTimestamp(tenant, main, between);
        assertThat(onMain.get("kind")).isEqualTo("present");
        assertThat(Lsn.parse((String) onMain.get("lsn"))).isGreaterThan(branchPoint);
        CLUSTER.cluster().destroy(compute);
    }

    /**
     * "An image is made when a read needs an LSN no image covers": a base backup that replays more than
     * checkpoint_distance of WAL leaves an image at its LSN, and the next one there starts from it.
     */
    @Test
    void aReadFarFromEveryImageLeavesAnImageThere() throws Exception {
        TenantShardId tenant = CLUSTER.cluster().attachTenant(TenantConf.defaults()); // no image before 256 MiB
        TimelineId main = TimelineId.generate();
        CLUSTER.client().timelineCreate(tenant, TimelineCreateRequest.bootstrap(main));
        Compute compute = CLUSTER.cluster().primary(tenant, main);
        TestCluster.execute(
                compute,
                "create table far (i int, pad text)",
                "insert into far select g, repeat('f', 100) from generate_series(1, 30000) g");
        Lsn middle = TestCluster.currentLsn(compute);
        TestCluster.execute(compute, "insert into far select g, repeat('g', 100) from generate_series(1, 10000) g");
        CLUSTER.cluster().destroy(CLUSTER.cluster().readOnly(tenant, main, TestCluster.currentLsn(compute)));
        // From now on 1 MiB of WAL is far: the images the node makes by itself are at the tip, not in the middle.
        CLUSTER.client()
                .locationConfig(
                        tenant,
                        new io.xenondb.shared.client.storagenode.LocationConfig(
                                io.xenondb.shared.client.storagenode.LocationConfigMode.AttachedSingle,
                                1L,
                                null,
                                0,
                                0,
                                null,
                                new TenantConf(1L << 20, null, null, null, null)));

        Compute first = CLUSTER.cluster().readOnly(tenant, main, middle);
        Lsn at = first.basebackup().lsn();
        assertThat(first.basebackup().info().imageLsn()).isLessThan(at);
        assertThat(TestCluster.count(first, "far")).isEqualTo(30000);
        CLUSTER.cluster().destroy(first);
        Lsn imageUsed = Lsn.INVALID;
        for (int attempt = 0; attempt < 30 && !imageUsed.equals(at); attempt++) {
            Thread.sleep(1000);
            Compute again = CLUSTER.cluster().readOnly(tenant, main, middle);
            imageUsed = again.basebackup().info().imageLsn();
            assertThat(TestCluster.count(again, "far")).isEqualTo(30000);
            CLUSTER.cluster().destroy(again);
        }
        assertThat(imageUsed).as("the image the second read starts from").isEqualTo(at);
        CLUSTER.cluster().destroy(compute);
    }

    /**
     * The page service at {@code lsn}: GetRelSize and every page of the heap and its primary-key index equal
     * {@code pg_relation_size / 8192} and {@code get_raw_page} on a compute started at that LSN (asked before
     * anything reads the table, whose reads would set hint bits).
     */
    private static void samePagesAsTheCompute(TenantShardId tenant, TimelineId timeline, Compute compute, Lsn lsn)
            throws Exception {
        try (Connection c = TestCluster.connect(compute);
                Statement s = c.createStatement();
                PageClient pages = new PageClient(CLUSTER.cluster().storageGrpc, tenant, timeline)) {
            for (String relation : new String[] {"foo", "foo_pkey"}) {
                ResultSet rs = s.executeQuery("select reltablespace, (select oid from pg_database where datname ="
                        + " current_database()), pg_relation_filenode('" + relation + "'), pg_relation_size('"
                        + relation + "') / 8192 from pg_class where relname = '" + relation + "'");
                rs.next();
                long spc = rs.getLong(1) == 0 ? 1663 : rs.getLong(1);
                var rel = PageClient.rel(spc, rs.getLong(2), rs.getLong(3), 0);
                int blocks = rs.getInt(4);
                assertThat(pages.relBlocks(rel, lsn)).as(relation + " blocks").isEqualTo(blocks);
                List<byte[]> served = pages.pages(rel, lsn, blocks);
                for (int block = 0; block < blocks; block++) {
                    ResultSet raw = s.executeQuery("select get_raw_page('" + relation + "', " + block + ")");
                    raw.next();
                    assertThat(served.get(block))
                            .as(relation + " block " + block)
                            .isEqualTo(raw.getBytes(1));
                }
            }
        }
    }

    private static List<Integer> distinctGenerations(Compute compute) throws SQLException {
        List<Integer> gens = new ArrayList<>();
        try (Connection c = TestCluster.connect(compute);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select distinct gen from foo order by gen")) {
            while (rs.next()) {
                gens.add(rs.getInt(1));
            }
        }
        return gens;
    }
}
