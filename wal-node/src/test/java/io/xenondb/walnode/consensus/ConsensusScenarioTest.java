package io.xenondb.walnode.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerEffect.StopReason;
import io.xenondb.walnode.consensus.message.TermHistory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The behaviour the WAL service promises, scripted step by step on three nodes. */
@Tag("wal-service")
class ConsensusScenarioTest {
    private final TestCluster cluster = new TestCluster(3);

    /** The node's durable WAL reaches {@code end} and every byte is what the term its history names wrote. */
    private void assertHolds(int index, Lsn end) {
        SimNode node = cluster.nodes.get(index);
        assertThat(node.wal.flushLsn()).as("flush lsn of node %s", node.id).isGreaterThanOrEqualTo(end);
        TermHistory history = node.control.load().orElseThrow().termHistory();
        int size = (int) node.wal.flushLsn().minus(node.wal.startLsn());
        assertThat(SimWal.firstWrongByte(history, node.wal.startLsn(), node.wal.read(node.wal.startLsn(), size)))
                .as("first wrong byte on node %s", node.id)
                .isEqualTo(-1);
    }

    private Term termAt(int index, Lsn lsn) {
        return cluster.nodes
                .get(index)
                .control
                .load()
                .orElseThrow()
                .termHistory()
                .termAt(lsn);
    }

    @Test
    void commitsGoOnWithOneNodeDownWaitWithTwoDownAndCompleteWhenOneReturns() {
        TestCluster.Compute compute = cluster.syncAndStart("a", 0, 1, 2);
        compute.write(100);
        assertThat(compute.commit).isEqualTo(compute.walEnd);

        cluster.crash(2);
        compute.write(100);
        assertThat(compute.commit).isEqualTo(compute.walEnd);

        cluster.crash(1);
        Lsn committedWithTwo = compute.commit;
        compute.write(100);
        compute.tick();
        assertThat(compute.commit).isEqualTo(committedWithTwo).isLessThan(compute.walEnd);

        cluster.restart(1);
        assertThat(compute.commit).isEqualTo(compute.walEnd);
        assertHolds(1, compute.walEnd);

        cluster.restart(2);
        compute.write(10);
        assertThat(compute.commit).isEqualTo(compute.walEnd);
        assertHolds(2, compute.walEnd);
        assertThat(compute.stopped).isNull();
    }

    @Test
    void aHigherTermFencesTheOldComputeAndTruncatesItsUncommittedTail() {
        TestCluster.Compute old = cluster.syncAndStart("old", 0, 1, 2);
        old.write(100);
        Lsn committedByOld = old.commit;
        assertThat(committedByOld).isEqualTo(old.walEnd);

        // The old compute is cut off from two nodes: what it writes now reaches node 0 only.
        old.cut(1);
        old.cut(2);
        old.write(50);
        assertThat(old.commit).isEqualTo(committedByOld);
        assertHolds(0, old.walEnd);

        TestCluster.Compute next = cluster.syncAndStart("new", 1, 2);
        assertThat(next.term).isGreaterThan(old.term);
        assertThat(next.termStart).isEqualTo(committedByOld);
        next.write(30);
        assertThat(next.commit).isEqualTo(next.walEnd);

        // The old compute's next append hits the new term on node 0 once node 0 has voted: it stops, and
        // nothing it wrote after the new term's start ever becomes committed.
        next.link(0);
        old.write(20);
        assertThat(old.stopped).isNotNull();
        assertThat(old.stopped.reason()).isEqualTo(StopReason.HIGHER_TERM);
        assertThat(old.commit).isEqualTo(committedByOld);

        // Node 0's uncommitted tail of the old term was cut at the common point and replaced by the new log.
        assertHolds(0, next.walEnd);
        assertThat(termAt(0, committedByOld)).isEqualTo(next.term);
        for (int node = 0; node < 3; node++) {
            assertHolds(node, next.walEnd);
        }
    }

    @Test
    void aSyncWithNothingToRecoverStillRecordsItsTermSoAnOldUncommittedTailCannotWinLater() {
        TestCluster.Compute old = cluster.syncAndStart("old", 0, 1, 2);
        old.write(100);
        old.tick(); // heartbeats carry the truncate LSN: every node learns that all of it is on every node
        Lsn committed = old.commit;
        assertThat(committed).isEqualTo(old.walEnd);

        // Node 0 alone gets an uncommitted tail of the old term.
        old.cut(1);
        old.cut(2);
        old.write(50);

        // A sync over nodes 1 and 2 has nothing to recover, but it must still record its term on them:
        // otherwise a later election takes node 0's longer old-term log as the donor and commits its tail.
        TestCluster.Compute sync = cluster.sync("sync", 1, 2);
        assertThat(sync.synced).isEqualTo(committed);
        assertThat(termAt(1, committed)).isEqualTo(sync.term);
        assertThat(termAt(2, committed)).isEqualTo(sync.term);

        TestCluster.Compute next = cluster.syncAndStart("next", 0, 1, 2);
        assertThat(next.termStart).isEqualTo(committed);
        next.write(30);
        assertThat(next.commit).isEqualTo(next.walEnd);
        assertThat(next.stopped).isNull();
        for (int node = 0; node < 3; node++) {
            assertHolds(node, next.walEnd);
        }
        assertThat(termAt(0, committed)).isEqualTo(next.term);
    }

    @Test
    void walCommittedOnPartOfTheMajorityIsRecoveredToTheOthers() {
        TestCluster.Compute first = cluster.syncAndStart("first", 0, 1, 2);
        first.cut(2);
        first.write(120);
        Lsn committed = first.commit;
        assertThat(committed).isEqualTo(first.walEnd);
        assertThat(cluster.nodes.get(2).wal.flushLsn()).isLessThan(committed);

        // The first compute dies; node 0, one of the two holding the WAL, is down.
        cluster.crash(0);
        TestCluster.Compute sync = cluster.sync("second-sync", 1, 2);
        assertThat(sync.synced).isEqualTo(committed);
        assertHolds(2, committed);
        assertThat(termAt(2, committed.plus(-1))).isEqualTo(first.term);

        TestCluster.Compute second = cluster.syncAndStart("second", 1, 2);
        assertThat(second.termStart).isEqualTo(committed);
        second.write(40);
        assertThat(second.commit).isEqualTo(second.walEnd);
        cluster.restart(0);
        second.link(0);
        second.write(5);
        for (int node = 0; node < 3; node++) {
            assertHolds(node, second.walEnd);
        }
    }
}
