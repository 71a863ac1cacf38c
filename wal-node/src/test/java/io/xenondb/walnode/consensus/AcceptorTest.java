package io.xenondb.walnode.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.AppendResponse;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.ElectResponse;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.Refusal;
import io.xenondb.walnode.consensus.message.RefusalReason;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.VoteResponse;
import io.xenondb.walnode.consensus.message.WalChunk;
import io.xenondb.walnode.consensus.storage.ControlState;
import io.xenondb.walnode.consensus.storage.InMemoryControlStore;
import io.xenondb.walnode.consensus.storage.InMemoryWalStore;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AcceptorTest {
    private static final TenantTimelineId TIMELINE = Simulation.TIMELINE;
    private static final ServerInfo SERVER = Simulation.SERVER;
    private static final NodeId NODE = NodeId.of(5);
    private static final long S = 0x1000;

    private final InMemoryWalStore wal = new InMemoryWalStore(Lsn.of(S));
    private final InMemoryControlStore control = new InMemoryControlStore();
    private Acceptor acceptor = Acceptor.create(NODE, wal, control, greeting(SERVER, true));

    private static GreetRequest greeting(ServerInfo info, boolean create) {
        return new GreetRequest(TIMELINE, "test", info, create, Lsn.of(S));
    }

    private VoteResponse vote(long term) {
        return acceptor.vote(new VoteRequest(TIMELINE, Term.of(term)));
    }

    private ElectResponse elect(long term, long startStreamingAt, TermHistory history) {
        return acceptor.elect(new ElectRequest(
                TIMELINE, Term.of(term), history.last().orElseThrow().startLsn(), history, Lsn.of(startStreamingAt)));
    }

    private Optional<AppendResponse> append(long term, long begin, int size, long commit) {
        return acceptor.append(new AppendRequest(
                TIMELINE,
                Term.of(term),
                Lsn.of(begin),
                Lsn.of(begin + size),
                Lsn.of(commit),
                Lsn.INVALID,
                SimWal.bytes(Term.of(term), Lsn.of(begin), size)));
    }

    /** A node that won term 1 and holds {@code size} bytes of it, flushed, with commit LSN {@code commit}. */
    private void holdTermOneWal(int size, long commit) {
        vote(1);
        assertThat(elect(1, S, SimWal.history(1, S)).refusal()).isEmpty();
        assertThat(append(1, S, size, commit)).isEmpty();
        acceptor.flush();
    }

    private void restart() {
        acceptor = Acceptor.open(NODE, wal, control);
    }

    @Test
    void votesOnlyForAHigherTermAndPersistsTheVoteBeforeAnswering() {
        long persisted = control.persistCount();
        VoteResponse first = vote(3);
        assertThat(first.voteGiven()).isTrue();
        assertThat(first.term()).isEqualTo(Term.of(3));
        assertThat(control.persistCount()).isGreaterThan(persisted);
        restart();
        VoteResponse again = vote(3);
        assertThat(again.voteGiven()).isFalse();
        assertThat(again.term()).isEqualTo(Term.of(3));
        assertThat(vote(2).voteGiven()).isFalse();
        assertThat(vote(4).voteGiven()).isTrue();
    }

    @Test
    void voteFlushesFirstAndReportsTheHistoryOfTheWalHeld() {
        vote(1);
        elect(1, S, SimWal.history(1, S));
        append(1, S, 50, 0);
        assertThat(wal.flushLsn()).isEqualTo(Lsn.of(S));
        VoteResponse response = vote(2);
        assertThat(response.flushLsn()).isEqualTo(Lsn.of(S + 50));
        assertThat(wal.flushLsn()).isEqualTo(Lsn.of(S + 50));
        assertThat(response.termHistory()).isEqualTo(SimWal.history(1, S));
        assertThat(response.lastLogTerm()).isEqualTo(Term.of(1));
    }

    @Test
    void electTruncatesTheUncommittedTailAtTheCommonPointAndAdoptsTheHistory() {
        holdTermOneWal(100, S + 30);
        vote(3);
        // Term 2 started at S+40 elsewhere: this node's term-1 WAL beyond S+40 is not in the new log.
        TermHistory proposer = SimWal.history(1, S, 2, S + 40, 3, S + 70);
        ElectResponse response = elect(3, S + 40, proposer);
        assertThat(response.refusal()).isEmpty();
        assertThat(response.flushLsn()).isEqualTo(Lsn.of(S + 40));
        assertThat(wal.writeLsn()).isEqualTo(Lsn.of(S + 40));
        assertThat(acceptor.termHistory()).isEqualTo(proposer);
        // The WAL now ends exactly where term 2 begins: that is the log of term 2 (which wrote nothing here yet).
        assertThat(acceptor.status().lastLogTerm()).isEqualTo(Term.of(2));
        assertThat(control.load().orElseThrow().termHistory()).isEqualTo(proposer);
    }

    @Test
    void lastLogTermSwitchesOnlyWhenTheWalReachesTheTermStart() {
        // Neon's test_last_log_term_switch: the node is being recovered up to term 2's start at S+2.
        vote(2);
        elect(2, S, SimWal.history(1, S, 2, S + 2));
        append(2, S, 1, 0);
        acceptor.flush();
        assertThat(acceptor.status().lastLogTerm()).isEqualTo(Term.of(1));
        append(2, S + 1, 1, 0);
        acceptor.flush();
        assertThat(acceptor.status().lastLogTerm()).isEqualTo(Term.of(2));
    }

    @Test
    void electWithAnotherStartThanTheCommonPointIsRefusedAndChangesNothing() {
        holdTermOneWal(100, 0);
        vote(2);
        ControlState before = control.load().orElseThrow();
        ElectResponse response = elect(2, S + 60, SimWal.history(1, S, 2, S + 80));
        assertThat(response.refusal().map(Refusal::reason)).contains(RefusalReason.NOT_CONTIGUOUS);
        assertThat(response.flushLsn()).isEqualTo(Lsn.of(S + 100));
        assertThat(wal.writeLsn()).isEqualTo(Lsn.of(S + 100));
        assertThat(control.load()).contains(before);
    }

    @Test
    void lateElectOfTheCurrentTermDoesNotTruncateAgain() {
        holdTermOneWal(70, 0);
        // The same Elect arriving again after the node received more WAL of the term.
        ElectResponse duplicate = elect(1, S, SimWal.history(1, S));
        assertThat(duplicate.refusal().map(Refusal::reason)).contains(RefusalReason.NOT_CONTIGUOUS);
        assertThat(wal.flushLsn()).isEqualTo(Lsn.of(S + 70));
    }

    @Test
    void electOfALowerTermIsRefusedWithTheNodesTerm() {
        vote(4);
        ElectResponse response = elect(3, S, SimWal.history(3, S));
        assertThat(response.refusal())
                .contains(new Refusal(RefusalReason.STALE_TERM, Term.of(4), "term 3 < node term 4"));
        assertThat(acceptor.termHistory()).isEqualTo(TermHistory.EMPTY);
    }

    @Test
    void committedWalIsNeverTruncated() {
        holdTermOneWal(100, S + 80);
        assertThat(acceptor.commitLsn()).isEqualTo(Lsn.of(S + 80));
        vote(3);
        long persists = control.persistCount();
        assertThatThrownBy(() -> elect(3, S + 40, SimWal.history(1, S, 2, S + 40, 3, S + 70)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("committed WAL is never truncated")
                .extracting(e -> ((XenonException) e).code())
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(wal.flushLsn()).isEqualTo(Lsn.of(S + 100));
        assertThat(acceptor.termHistory()).isEqualTo(SimWal.history(1, S));
        assertThat(control.persistCount()).isEqualTo(persists);
    }

    @Test
    void appendsAreRefusedWithTheReasonAndTheNodesPosition() {
        vote(2);
        assertThat(append(2, S, 10, 0).flatMap(AppendResponse::refusal).map(Refusal::reason))
                .contains(RefusalReason.NOT_ELECTED);
        elect(2, S, SimWal.history(2, S));
        assertThat(append(1, S, 10, 0).flatMap(AppendResponse::refusal).map(Refusal::reason))
                .contains(RefusalReason.STALE_TERM);
        assertThat(append(3, S, 10, 0).flatMap(AppendResponse::refusal).map(Refusal::reason))
                .contains(RefusalReason.NOT_ELECTED);
        assertThat(append(2, S, 10, 0)).isEmpty();
        acceptor.flush();
        Optional<AppendResponse> gap = append(2, S + 20, 10, 0);
        assertThat(gap.flatMap(AppendResponse::refusal).map(Refusal::reason)).contains(RefusalReason.NOT_CONTIGUOUS);
        assertThat(gap.orElseThrow().flushLsn()).isEqualTo(Lsn.of(S + 10));
        Optional<AppendResponse> overlap = append(2, S + 5, 10, 0);
        assertThat(overlap.flatMap(AppendResponse::refusal).map(Refusal::reason))
                .contains(RefusalReason.NOT_CONTIGUOUS);
        assertThat(wal.writeLsn()).isEqualTo(Lsn.of(S + 10));
    }

    @Test
    void oneFlushAcknowledgesEveryAppendBeforeItAndCapsTheCommitAtTheFlush() {
        vote(1);
        elect(1, S, SimWal.history(1, S));
        append(1, S, 10, 0);
        append(1, S + 10, 10, S + 500);
        assertThat(wal.flushLsn()).isEqualTo(Lsn.of(S));
        AppendResponse ack = acceptor.flush();
        assertThat(ack.refusal()).isEmpty();
        assertThat(ack.flushLsn()).isEqualTo(Lsn.of(S + 20));
        assertThat(ack.commitLsn()).isEqualTo(Lsn.of(S + 20));
        assertThat(ack.term()).isEqualTo(Term.of(1));
    }

    @Test
    void aCrashLosesUnflushedWalOrKeepsATornPrefix() {
        holdTermOneWal(30, 0);
        append(1, S + 30, 20, 0);
        wal.crash(fixedRandom(0));
        restart();
        assertThat(acceptor.flushLsn()).isEqualTo(Lsn.of(S + 30));
        append(1, S + 30, 20, 0);
        wal.crash(fixedRandom(7));
        restart();
        assertThat(acceptor.flushLsn()).isEqualTo(Lsn.of(S + 37));
        assertThat(SimWal.firstWrongByte(acceptor.termHistory(), Lsn.of(S), wal.read(Lsn.of(S), 37)))
                .isEqualTo(-1);
        assertThat(acceptor.term()).isEqualTo(Term.of(1));
    }

    @Test
    void persistedCommitLsnSurvivesARestart() {
        holdTermOneWal(40, S + 25);
        acceptor.persistControlState();
        restart();
        assertThat(acceptor.commitLsn()).isEqualTo(Lsn.of(S + 25));
    }

    @Test
    void readersSeeCommittedWalOnlyAndTheProposerOfTheTermSeesItsFlushedWal() {
        holdTermOneWal(100, S + 60);
        WalChunk committed = (WalChunk) acceptor.readWal(read(S + 10, 0, 0), 1000);
        assertThat(committed.beginLsn()).isEqualTo(Lsn.of(S + 10));
        assertThat(committed.endLsn()).isEqualTo(Lsn.of(S + 60));
        assertThat(committed.walData()).isEqualTo(SimWal.bytes(Term.of(1), Lsn.of(S + 10), 50));
        assertThat(((WalChunk) acceptor.readWal(read(S + 60, 0, 0), 1000)).walData())
                .isEqualTo(ByteString.EMPTY);
        WalChunk recovery = (WalChunk) acceptor.readWal(read(S + 60, S + 90, 1), 1000);
        assertThat(recovery.endLsn()).isEqualTo(Lsn.of(S + 90));
        assertThat(((WalChunk) acceptor.readWal(read(S, 0, 1), 16)).walData().size())
                .isEqualTo(16);
        vote(2);
        assertThat(acceptor.readWal(read(S, 0, 1), 1000))
                .isEqualTo(new Refusal(RefusalReason.STALE_TERM, Term.of(2), "recovery term 1 != node term 2"));
        assertThat(acceptor.readWal(read(S, 0, 3), 1000))
                .isInstanceOfSatisfying(
                        Refusal.class, r -> assertThat(r.reason()).isEqualTo(RefusalReason.NOT_ELECTED));
        assertThatThrownBy(() -> acceptor.readWal(read(S - 1, 0, 0), 10))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("local WAL start");
    }

    @Test
    void greetChecksTheClusterAndLearnsAnUnknownSystemId() {
        assertThat(acceptor.greet(greeting(SERVER, false)).term()).isEqualTo(Term.ZERO);
        assertThatThrownBy(() -> acceptor.greet(
                        greeting(new ServerInfo(160_003, SERVER.systemId(), SERVER.walSegSize()), false)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("pg_version 160003");
        assertThatThrownBy(() -> acceptor.greet(greeting(new ServerInfo(170_001, 99, SERVER.walSegSize()), false)))
                .hasMessageContaining("system_id 99");
        assertThat(acceptor.greet(greeting(new ServerInfo(170_002, 0, SERVER.walSegSize()), false))
                        .nodeId())
                .isEqualTo(NODE);

        InMemoryControlStore fresh = new InMemoryControlStore();
        Acceptor unknown = Acceptor.create(
                NODE, new InMemoryWalStore(Lsn.of(S)), fresh, greeting(new ServerInfo(170_005, 0, 16 << 20), true));
        unknown.greet(greeting(SERVER, false));
        assertThat(fresh.load().orElseThrow().serverInfo().systemId()).isEqualTo(SERVER.systemId());
    }

    @Test
    void creationAndOpeningFailWithTypedErrors() {
        assertThatThrownBy(() -> Acceptor.create(NODE, wal, control, greeting(SERVER, true)))
                .extracting(e -> ((XenonException) e).code())
                .isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> Acceptor.create(
                        NODE, new InMemoryWalStore(Lsn.of(S)), new InMemoryControlStore(), greeting(SERVER, false)))
                .extracting(e -> ((XenonException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> Acceptor.open(NODE, wal, new InMemoryControlStore()))
                .extracting(e -> ((XenonException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void requestsForAnotherTimelineChangeNothing() {
        TenantTimelineId other =
                TenantTimelineId.parse("00000000000000000000000000000001/00000000000000000000000000000002");
        assertThatThrownBy(() -> acceptor.vote(new VoteRequest(other, Term.of(9))))
                .extracting(e -> ((XenonException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(acceptor.term()).isEqualTo(Term.ZERO);
    }

    private static ReadWalRequest read(long start, long end, long recoveryTerm) {
        return new ReadWalRequest(TIMELINE, Lsn.of(start), Lsn.of(end), Term.of(recoveryTerm));
    }

    /** A Random whose nextInt(bound) is min(value, bound - 1): picks how much of an unflushed tail survives. */
    private static Random fixedRandom(int value) {
        return new Random() {
            @Override
            public int nextInt(int bound) {
                return Math.min(value, bound - 1);
            }
        };
    }
}
