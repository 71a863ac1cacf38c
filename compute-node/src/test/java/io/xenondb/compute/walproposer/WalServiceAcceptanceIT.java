package io.xenondb.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 3's acceptance for the write path: a real PostgreSQL 17 compute, its WAL proposer, and THREE WAL-node
 * processes (shared by the tests; each test has a timeline of its own, and nodes a test stopped are started
 * again after it). WAL is read back from the nodes' segment files.
 */
@Tag("wal-service")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalServiceAcceptanceIT {
    private static final Path ROOT = Path.of("target", "wal-service-it");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    private final List<WalNodeProcess> nodes = new ArrayList<>();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final ExecutorService clients = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "acceptance-client");
        thread.setDaemon(true);
        return thread;
    });

    @BeforeAll
    void startNodes() {
        System.out.println("WalServiceAcceptanceIT seed " + seed);
        for (int i = 1; i <= 3; i++) {
            nodes.add(new WalNodeProcess(i, ROOT));
        }
        startAll();
    }

    @AfterAll
    void stopNodes() {
        nodes.forEach(WalNodeProcess::close);
        clients.shutdownNow();
    }

    @AfterEach
    void cleanUp() throws Exception {
        while (!closeables.isEmpty()) {
            closeables.pop().close();
        }
        startAll();
    }

    @Test
    void everyNodeHoldsPgWalBytesOverTheCommittedRange() throws Exception {
        TenantTimelineId timeline = newTimeline();
        TestCompute compute = compute();
        WalProposer proposer = proposer(compute, timeline);
        Lsn start = compute.firstSegmentStart();

        Workload workload = new Workload(compute).start(3, 400, random.nextLong());
        Thread.sleep(1500);
        try (Connection c = compute.connect();
                Statement s = c.createStatement()) {
            s.execute("select pg_switch_wal()");
        }
        Thread.sleep(1500);
        workload.stop(WAIT.toMillis());
        assertThat((Object) workload.firstError()).isNull();
        assertThat(workload.acked()).hasSizeGreaterThan(20);

        Lsn pgFlush = compute.query("select pg_current_wal_flush_lsn()");
        Eventually.await(
                WAIT,
                () -> !proposer.commitLsn().isBefore(pgFlush),
                () -> "commit " + proposer.commitLsn() + " reaching " + pgFlush);
        Lsn commit = proposer.commitLsn();
        ByteString pgWal = new PgWalFiles(compute.pgWal(), 1).read(start, commit);
        for (WalNodeProcess node : nodes) {
            awaitFlush(node, timeline, commit);
            assertThat(nodeBytes(node, timeline, start, commit).equals(pgWal))
                    .as("node %s's segment files equal pg_wal over [%s, %s)", node.id, start, commit)
                    .isTrue();
            NodeWal wal = NodeWal.ofFiles(node.timelineDir(timeline), start);
            assertThat(wal.committedXids()).containsAll(workload.acked());
            assertThat(wal.recordsEnd()).isGreaterThanOrEqualTo(commit);
        }
    }

    @Test
    void acknowledgedCommitsAreOnTwoNodesDisksAfterKill9OfTheCompute() throws Exception {
        TenantTimelineId timeline = newTimeline();
        TestCompute compute = compute();
        WalProposer proposer = proposer(compute, timeline);
        Lsn start = compute.firstSegmentStart();
        Workload workload = new Workload(compute).start(3, 300, random.nextLong());
        long moment = 500 + random.nextInt(2500);
        Thread.sleep(moment);
        // kill -9 of the compute: its PostgreSQL and its proposer.
        compute.kill9();
        proposer.close();
        workload.stop(WAIT.toMillis());
        Set<Long> acked = workload.acked();
        System.out.println("killed the compute after " + moment + " ms: " + acked.size() + " of " + workload.attempts()
                + " transactions acknowledged");
        assertThat(acked).isNotEmpty();

        // And the WAL nodes too, so that only what their files hold counts.
        nodes.forEach(WalNodeProcess::kill);
        Map<Long, Integer> copies = new HashMap<>();
        Map<Long, Lsn> commitEnds = new HashMap<>();
        for (WalNodeProcess node : nodes) {
            NodeWal wal = NodeWal.ofFiles(node.timelineDir(timeline), start);
            wal.commitEnds().forEach((xid, end) -> {
                copies.merge(xid, 1, Integer::sum);
                commitEnds.put(xid, end);
            });
        }
        for (long xid : acked) {
            assertThat(copies.getOrDefault(xid, 0))
                    .as("copies of acknowledged xid %s on the nodes' disks", xid)
                    .isGreaterThanOrEqualTo(2);
        }
        startAll();
        // The next compute starts at or after every acknowledged commit.
        Lsn synced = sync(timeline);
        for (long xid : acked) {
            assertThat(synced).isGreaterThanOrEqualTo(commitEnds.get(xid));
        }
    }

    @Test
    void commitsGoOnWithOneNodeDownWaitWithTwoAndARestartedNodeCatchesUp() throws Exception {
        TenantTimelineId timeline = newTimeline();
        TestCompute compute = compute();
        WalProposer proposer = proposer(compute, timeline);
        Lsn start = compute.firstSegmentStart();
        Workload workload = new Workload(compute);
        workload.commitOne(100);

        nodes.get(2).stop();
        for (int i = 0; i < 10; i++) {
            commit(workload, 1 + random.nextInt(3000));
        }

        nodes.get(1).stop();
        Future<Long> waiting = clients.submit(() -> workload.commitOne(100));
        Thread.sleep(1500);
        assertThat(waiting.isDone())
                .as("a COMMIT with 2 of 3 WAL nodes down waits")
                .isFalse();
        nodes.get(1).start();
        long xid = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(workload.acked()).hasSize(12).contains(xid);

        Lsn commit = proposer.commitLsn();
        for (WalNodeProcess node : List.of(nodes.get(0), nodes.get(1))) {
            awaitFlush(node, timeline, commit);
            assertThat(NodeWal.ofFiles(node.timelineDir(timeline), start).committedXids())
                    .containsAll(workload.acked());
        }
        nodes.get(2).start();
        awaitFlush(nodes.get(2), timeline, commit);
        assertThat(NodeWal.ofFiles(nodes.get(2).timelineDir(timeline), start).committedXids())
                .containsAll(workload.acked());
        assertThat(nodeBytes(nodes.get(2), timeline, start, commit)
                        .equals(new PgWalFiles(compute.pgWal(), 1).read(start, commit)))
                .as("the restarted node caught up byte for byte")
                .isTrue();
    }

    @Test
    void aSecondProposerWithAHigherTermFencesTheFirst() throws Exception {
        TenantTimelineId timeline = newTimeline();
        TestCompute compute = compute();
        WalProposer first = proposer(compute, timeline);
        Workload workload = new Workload(compute);
        for (int i = 0; i < 5; i++) {
            commit(workload, 200);
        }
        Lsn committed = first.commitLsn();

        // The second proposer (a new compute's sync) wins term 2.
        Lsn termStart = sync(timeline);
        assertThat(termStart).isGreaterThanOrEqualTo(committed);

        Future<Long> fenced = clients.submit(() -> workload.commitOne(100));
        ProposerExit exit = first.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(exit.reason()).isEqualTo(ProposerExit.Reason.HIGHER_TERM);
        Thread.sleep(1000);
        assertThat(fenced.isDone())
                .as("the fenced compute's COMMIT never returns")
                .isFalse();
        assertThat(first.commitLsn()).isLessThanOrEqualTo(termStart);
        for (WalNodeProcess node : nodes) {
            assertThat(Lsn.of(node.status(timeline).getCommitLsn())).isLessThanOrEqualTo(termStart);
        }
        // Nothing of the first proposer after the new term start ever became committed.
        assertThat(sync(timeline)).isEqualTo(termStart);
        for (WalNodeProcess node : nodes) {
            assertThat(Lsn.of(node.status(timeline).getCommitLsn())).isLessThanOrEqualTo(termStart);
        }
    }

    @Test
    void anUncommittedTailOfAnOlderTermIsTruncatedAtTheNextElection() throws Exception {
        TenantTimelineId timeline = newTimeline();
        TestCompute compute = compute();
        WalProposer proposer = proposer(compute, timeline);
        Lsn start = compute.firstSegmentStart();
        Workload workload = new Workload(compute);
        for (int i = 0; i < 3; i++) {
            commit(workload, 200);
        }
        Lsn committed = proposer.commitLsn();
        for (WalNodeProcess node : nodes) {
            awaitFlush(node, timeline, committed);
        }

        // The tail reaches node 1 only: its COMMIT waits and is never acknowledged.
        nodes.get(1).stop();
        nodes.get(2).stop();
        Connection tail = compute.connect();
        closeables.push(tail);
        tail.setAutoCommit(false);
        long tailXid;
        try (Statement s = tail.createStatement()) {
            s.execute("insert into items (client, payload) values (9, repeat('t', 5000))");
            try (ResultSet rs = s.executeQuery("select txid_current()")) {
                rs.next();
                tailXid = rs.getLong(1) & 0xFFFF_FFFFL;
            }
        }
        clients.submit(() -> {
            tail.commit();
            return null;
        });
        Eventually.await(
                WAIT,
                () -> NodeWal.ofFiles(nodes.get(0).timelineDir(timeline), start)
                        .committedXids()
                        .contains(tailXid),
                () -> "the tail's commit record on node 1");
        compute.kill9();
        proposer.close();

        // Term 2 without node 1: the tail is not part of it.
        nodes.get(0).stop();
        nodes.get(1).start();
        nodes.get(2).start();
        Lsn termStart = sync(timeline);
        assertThat(termStart).isGreaterThanOrEqualTo(committed);
        Lsn tailEnd = NodeWal.ofFiles(nodes.get(0).timelineDir(timeline), start)
                .commitEnds()
                .get(tailXid);
        assertThat(termStart).isLessThan(tailEnd);

        // Term 3 needs node 1: it cuts its tail at the common point and takes term 2's WAL.
        nodes.get(2).stop();
        nodes.get(0).start();
        assertThat(sync(timeline)).isEqualTo(termStart);
        awaitFlush(nodes.get(0), timeline, termStart);
        assertThat(nodes.get(0).flushLsn(timeline)).isEqualTo(termStart);
        NodeWal wal = NodeWal.ofFiles(nodes.get(0).timelineDir(timeline), start);
        assertThat(wal.recordsEnd()).isEqualTo(termStart);
        assertThat(wal.committedXids()).doesNotContain(tailXid).containsAll(workload.acked());
    }

    @Test
    void walCommittedOnOnlyPartOfTheMajorityIsRecoveredToTheOthers() throws Exception {
        TenantTimelineId timeline = newTimeline();
        TestCompute compute = compute();
        WalProposer proposer = proposer(compute, timeline);
        Lsn start = compute.firstSegmentStart();
        Workload workload = new Workload(compute);
        commit(workload, 100);
        for (WalNodeProcess node : nodes) {
            awaitFlush(node, timeline, proposer.commitLsn());
        }
        // Committed on nodes 1 and 2 only.
        nodes.get(2).stop();
        for (int i = 0; i < 10; i++) {
            commit(workload, 1 + random.nextInt(5000));
        }
        Lsn committed = proposer.commitLsn();
        compute.kill9();
        proposer.close();

        // Nodes 2 and 3 are the majority now; only node 2 has the committed WAL.
        nodes.get(0).stop();
        nodes.get(2).start();
        Lsn termStart = sync(timeline);
        assertThat(termStart).isGreaterThanOrEqualTo(committed);
        awaitFlush(nodes.get(2), timeline, termStart);
        assertThat(NodeWal.ofFiles(nodes.get(2).timelineDir(timeline), start).committedXids())
                .containsAll(workload.acked());
        assertThat(nodeBytes(nodes.get(2), timeline, start, termStart)
                        .equals(new PgWalFiles(compute.pgWal(), 1).read(start, termStart)))
                .as("node 3 recovered the committed WAL byte for byte")
                .isTrue();
    }

    // ---- helpers ----

    private TenantTimelineId newTimeline() {
        return new TenantTimelineId(
                new TenantId(random.nextLong(), random.nextLong()),
                new TimelineId(random.nextLong(), random.nextLong()));
    }

    private TestCompute compute() {
        TestCompute compute = TestCompute.start(ROOT);
        closeables.push(compute);
        return compute;
    }

    private WalProposer proposer(TestCompute compute, TenantTimelineId timeline) {
        WalProposer proposer = WalProposer.start(
                compute.newTimelineProposer(timeline, endpoints()), ProposerMetrics.unregistered(timeline));
        closeables.push(proposer);
        return proposer;
    }

    private Lsn sync(TenantTimelineId timeline) {
        return SyncWalNodes.syncWalNodes(
                timeline, endpoints(), WAIT, ComputeLoop.FAST, ProposerMetrics.unregistered(timeline));
    }

    private long commit(Workload workload, int payload) throws Exception {
        return clients.submit(() -> workload.commitOne(payload)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private List<WalNodeEndpoint> endpoints() {
        return nodes.stream().map(WalNodeProcess::endpoint).toList();
    }

    private void awaitFlush(WalNodeProcess node, TenantTimelineId timeline, Lsn lsn) {
        Eventually.await(
                WAIT,
                () -> !node.flushLsn(timeline).isBefore(lsn),
                () -> "node " + node.id + " flush " + node.flushLsn(timeline) + " reaching " + lsn);
    }

    private static ByteString nodeBytes(WalNodeProcess node, TenantTimelineId timeline, Lsn from, Lsn to) {
        return new PgWalFiles(node.timelineDir(timeline), 1).read(from, to);
    }

    private void startAll() {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (WalNodeProcess node : nodes) {
            if (!node.isRunning()) {
                starts.add(CompletableFuture.runAsync(node::start, clients));
            }
        }
        starts.forEach(CompletableFuture::join);
    }
}
