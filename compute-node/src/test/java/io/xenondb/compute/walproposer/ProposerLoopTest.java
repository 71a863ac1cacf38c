package io.xenondb.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proposer's IO layer (event loop, gRPC sessions, reconnects, recovery reads, sync) against three WAL nodes
 * served in this JVM over the consensus acceptor, with synthetic WAL.
 */
class ProposerLoopTest {
    private static final Lsn START = Lsn.parse("0/1000000");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Random random = new Random(7);
    private final TenantTimelineId timeline = new TenantTimelineId(
            new TenantId(random.nextLong(), random.nextLong()), new TimelineId(random.nextLong(), random.nextLong()));
    private final List<TestWalNode> nodes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startNodes() {
        for (int i = 1; i <= 3; i++) {
            nodes.add(new TestWalNode(i).start());
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        nodes.forEach(TestWalNode::close);
    }

    @Test
    void streamsToEveryNodeAndCommitsWhatAQuorumFlushed() {
        ComputeLoop compute = compute(START, true, 1 << 20, null);
        writeSome(compute, 20);
        awaitCommit(compute, compute.end());
        for (TestWalNode node : nodes) {
            awaitIdentical(node, compute.written());
        }
        assertThat(compute.term().value()).isEqualTo(1);
        assertThat(compute.loop.isExited()).isFalse();
    }

    @Test
    void withOneNodeDownCommitsGoOnAndTheNodeCatchesUpWhenBack() {
        ComputeLoop compute = compute(START, true, 1 << 20, null);
        writeSome(compute, 5);
        awaitCommit(compute, compute.end());
        nodes.get(2).stop();
        writeSome(compute, 20);
        awaitCommit(compute, compute.end());
        nodes.get(2).start();
        awaitIdentical(nodes.get(2), compute.written());
    }

    @Test
    void withTwoNodesDownCommitWaitsUntilOneIsBack() throws Exception {
        ComputeLoop compute = compute(START, true, 1 << 20, null);
        writeSome(compute, 5);
        Lsn before = compute.end();
        awaitCommit(compute, before);
        nodes.get(1).stop();
        nodes.get(2).stop();
        writeSome(compute, 5);
        Thread.sleep(300);
        assertThat(compute.commit()).isEqualTo(before);
        nodes.get(2).start();
        awaitCommit(compute, compute.end());
        nodes.get(1).start();
        awaitIdentical(nodes.get(1), compute.written());
    }

    @Test
    void aNodeBehindTheBufferCatchesUpFromTheOtherNodes() {
        // A 32 KiB buffer and no local WAL source: the lagging node can only be served by its peers.
        ComputeLoop compute = compute(START, true, 32 * 1024, null);
        writeSome(compute, 2);
        awaitCommit(compute, compute.end());
        nodes.get(0).stop();
        // Piece by piece, so the WAL reaches the quorum before it leaves the buffer.
        for (int i = 0; i < 40; i++) {
            writeSome(compute, 1);
            awaitCommit(compute, compute.end());
        }
        nodes.get(0).start();
        awaitIdentical(nodes.get(0), compute.written());
    }

    @Test
    void aNodeBehindTheBufferCatchesUpFromLocalWal() {
        AtomicReference<ComputeLoop> self = new AtomicReference<>();
        LocalWalSource local =
                (begin, end) -> self.get().written().substring((int) begin.minus(START), (int) end.minus(START));
        ComputeLoop compute = compute(START, true, 32 * 1024, local);
        self.set(compute);
        writeSome(compute, 2);
        awaitCommit(compute, compute.end());
        nodes.get(0).stop();
        nodes.get(1).stop();
        // Nothing commits now, so the other nodes cannot serve the lagging ones: only local WAL can.
        writeSome(compute, 30);
        nodes.get(0).start();
        nodes.get(1).start();
        awaitCommit(compute, compute.end());
        awaitIdentical(nodes.get(0), compute.written());
        awaitIdentical(nodes.get(1), compute.written());
    }

    @Test
    void aHigherTermFencesTheProposer() throws Exception {
        ComputeLoop first = compute(START, true, 1 << 20, null);
        writeSome(first, 5);
        Lsn committed = first.end();
        awaitCommit(first, committed);
        awaitAllFlushed(committed);

        Lsn synced = sync();
        assertThat(synced).isEqualTo(committed);
        // The first proposer learns it lost at its next append and can commit nothing more.
        writeSome(first, 5);
        ProposerExit exit = first.exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(exit.reason()).isEqualTo(ProposerExit.Reason.HIGHER_TERM);
        assertThat(first.commit()).isEqualTo(committed);
        // A node that had not voted yet may have taken a little more of the loser's WAL; it is not committed.
        assertThat(nodes.stream().filter(n -> n.flushLsn(timeline).equals(synced)))
                .hasSizeGreaterThanOrEqualTo(2);
        for (TestWalNode node : nodes) {
            assertThat(node.commitLsn(timeline)).isLessThanOrEqualTo(synced);
        }
    }

    @Test
    void syncTruncatesAnUncommittedTailOfAnOlderTerm() {
        ComputeLoop first = compute(START, true, 1 << 20, null);
        writeSome(first, 5);
        Lsn committed = first.end();
        awaitCommit(first, committed);
        awaitAllFlushed(committed);
        ByteString committedWal = first.written();
        // Only node 1 gets the tail: it never commits.
        nodes.get(1).stop();
        nodes.get(2).stop();
        writeSome(first, 5);
        Eventually.await(WAIT, () -> nodes.get(0).flushLsn(timeline).equals(first.end()), () -> "tail on node 1");
        first.close();
        nodes.get(0).stop();
        nodes.get(1).start();
        nodes.get(2).start();

        Lsn synced = sync();
        assertThat(synced).isEqualTo(committed);

        ComputeLoop second = compute(synced, false, 1 << 20, null);
        writeSome(second, 5);
        awaitCommit(second, second.end());
        nodes.get(0).start();
        ByteString expected = committedWal.concat(second.written());
        // At the second proposer's election node 1 cuts its tail at the common point and takes the new WAL.
        awaitIdentical(nodes.get(0), expected);
        for (TestWalNode node : nodes) {
            awaitIdentical(node, expected);
        }
    }

    @Test
    void syncRecoversCommittedWalToANodeThatLacksIt() {
        nodes.forEach(n -> n.createTimeline(timeline, START));
        ComputeLoop first = compute(START, false, 1 << 20, null);
        nodes.get(2).stop();
        writeSome(first, 10);
        awaitCommit(first, first.end());
        first.close();
        nodes.get(2).start();
        nodes.get(0).stop();
        // Nodes 2 and 3 form the quorum; only node 2 has the committed WAL.
        Lsn synced = sync();
        assertThat(synced).isEqualTo(first.end());
        assertThat(nodes.get(2).walBytes(timeline)).isEqualTo(first.written());
        assertThat(nodes.get(2).commitLsn(timeline)).isEqualTo(synced);
    }

    @Test
    void syncWithoutAQuorumFailsWithUnavailable() {
        nodes.forEach(n -> n.createTimeline(timeline, START));
        nodes.get(0).stop();
        nodes.get(1).stop();
        assertThatThrownBy(() -> SyncWalNodes.syncWalNodes(
                        timeline,
                        endpoints(),
                        Duration.ofMillis(500),
                        ComputeLoop.FAST,
                        ProposerMetrics.unregistered(timeline)))
                .isInstanceOf(XenonException.class)
                .satisfies(e -> assertThat(((XenonException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("no quorum");
    }

    @Test
    void syncOfAFreshTimelineReturnsItsStart() {
        nodes.forEach(n -> n.createTimeline(timeline, START));
        assertThat(sync()).isEqualTo(START);
    }

    @Test
    void aComputeWhoseStartIsNotTheTermStartStops() throws Exception {
        nodes.forEach(n -> n.createTimeline(timeline, START));
        ComputeLoop compute = compute(START.plus(8192), false, 1 << 20, null);
        ProposerExit exit = compute.exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(exit.reason()).isEqualTo(ProposerExit.Reason.START_LSN_MISMATCH);
    }

    private Lsn sync() {
        ProposerMetrics metrics = ProposerMetrics.unregistered(timeline);
        Lsn synced = SyncWalNodes.syncWalNodes(timeline, endpoints(), WAIT, ComputeLoop.FAST, metrics);
        assertThat(metrics.elections()).isEqualTo(1);
        return synced;
    }

    private ComputeLoop compute(Lsn start, boolean create, int buffer, LocalWalSource local) {
        ComputeLoop compute = new ComputeLoop(timeline, endpoints(), start, create, buffer, local, random.nextLong());
        closeables.add(compute);
        return compute;
    }

    private List<WalNodeEndpoint> endpoints() {
        return nodes.stream().map(TestWalNode::endpoint).toList();
    }

    private void writeSome(ComputeLoop compute, int pieces) {
        for (int i = 0; i < pieces; i++) {
            compute.write(1 + random.nextInt(20_000));
        }
    }

    private void awaitCommit(ComputeLoop compute, Lsn lsn) {
        Eventually.await(
                WAIT,
                () -> !compute.commit().isBefore(lsn),
                () -> "commit " + compute.commit() + " reaching " + lsn + ", exit " + compute.exit.getNow(null));
    }

    private void awaitAllFlushed(Lsn lsn) {
        for (TestWalNode node : nodes) {
            Eventually.await(
                    WAIT,
                    () -> node.flushLsn(timeline).equals(lsn),
                    () -> "node " + node.id + " flush " + node.flushLsn(timeline) + " reaching " + lsn);
        }
    }

    private void awaitIdentical(TestWalNode node, ByteString expected) {
        Eventually.await(
                WAIT,
                () -> node.walBytes(timeline).equals(expected),
                () -> "node " + node.id + " holds " + node.walBytes(timeline).size() + " bytes up to "
                        + node.flushLsn(timeline) + ", expected " + expected.size() + " identical bytes");
    }
}
