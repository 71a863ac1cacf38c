package io.xenondb.walnode.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerEffect.CommitLsnAdvanced;
import io.xenondb.walnode.consensus.ProposerEffect.Elected;
import io.xenondb.walnode.consensus.ProposerEffect.ReadFromNode;
import io.xenondb.walnode.consensus.ProposerEffect.ReadLocal;
import io.xenondb.walnode.consensus.ProposerEffect.Send;
import io.xenondb.walnode.consensus.ProposerEffect.StopReason;
import io.xenondb.walnode.consensus.ProposerEffect.Stopped;
import io.xenondb.walnode.consensus.ProposerEffect.SyncCompleted;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.AppendResponse;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.ElectResponse;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.GreetResponse;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.VoteResponse;
import io.xenondb.walnode.consensus.message.WalChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProposerTest {
    private static final NodeId N1 = NodeId.of(1);
    private static final NodeId N2 = NodeId.of(2);
    private static final NodeId N3 = NodeId.of(3);
    private static final List<NodeId> NODES = List.of(N1, N2, N3);

    private static ProposerConfig sync() {
        return ProposerConfig.sync(Simulation.TIMELINE, NODES, "test", Simulation.SERVER);
    }

    private static ProposerConfig compute(long start) {
        return ProposerConfig.compute(Simulation.TIMELINE, NODES, "test", Simulation.SERVER, Lsn.of(start));
    }

    private static VoteResponse granted(NodeId node, long term, long flush, TermHistory history) {
        return new VoteResponse(node, Term.of(term), true, Lsn.of(flush), Lsn.of(0x10), history, Lsn.of(0x10));
    }

    private static <T> List<T> only(List<ProposerEffect> effects, Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> List<T> sent(List<ProposerEffect> effects, Class<T> type) {
        return only(effects, Send.class).stream()
                .map(Send::message)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /** Connects and greets all three nodes with the given terms; returns the effects of the last greeting. */
    private static List<ProposerEffect> greetAll(Proposer proposer, long t1, long t2, long t3) {
        for (NodeId node : NODES) {
            assertThat(sent(proposer.onConnected(node), GreetRequest.class)).hasSize(1);
        }
        proposer.onGreetResponse(new GreetResponse(N1, Term.of(t1)));
        proposer.onGreetResponse(new GreetResponse(N2, Term.of(t2)));
        return proposer.onGreetResponse(new GreetResponse(N3, Term.of(t3)));
    }

    /** Elects a proposer in term 1 on all three nodes, each with empty WAL at 0/100, and activates them. */
    private static Proposer electedOnEmptyNodes(ProposerConfig config) {
        Proposer proposer = new Proposer(config);
        electOnEmptyNodes(proposer);
        return proposer;
    }

    private static List<ProposerEffect> electOnEmptyNodes(Proposer proposer) {
        greetAll(proposer, 0, 0, 0);
        for (NodeId node : NODES) {
            proposer.onVoteResponse(granted(node, 1, 0x100, TermHistory.EMPTY));
        }
        List<ProposerEffect> effects = new ArrayList<>();
        for (NodeId node : NODES) {
            effects.addAll(
                    proposer.onElectResponse(new ElectResponse(node, Term.of(1), Lsn.of(0x100), Optional.empty())));
        }
        return effects;
    }

    private static AppendResponse ack(NodeId node, long term, long flush, long commit) {
        return new AppendResponse(node, Term.of(term), Lsn.of(flush), Lsn.of(commit), Optional.empty());
    }

    @Test
    void campaignsOnceAQuorumGreetedWithATermAboveEveryTermSeen() {
        Proposer proposer = new Proposer(sync());
        proposer.onConnected(N1);
        proposer.onConnected(N2);
        assertThat(proposer.onGreetResponse(new GreetResponse(N1, Term.of(4)))).isEmpty();
        List<ProposerEffect> votes = proposer.onGreetResponse(new GreetResponse(N2, Term.of(7)));
        assertThat(sent(votes, VoteRequest.class)).extracting(VoteRequest::term).containsOnly(Term.of(8));
        assertThat(only(votes, Send.class)).extracting(Send::to).containsExactly(N1, N2);
        proposer.onConnected(N3);
        assertThat(sent(proposer.onGreetResponse(new GreetResponse(N3, Term.of(2))), VoteRequest.class))
                .containsExactly(new VoteRequest(Simulation.TIMELINE, Term.of(8)));
    }

    @Test
    void donorIsTheVoterWithTheHighestLastLogTermThenTheLongestWal() {
        Proposer proposer = new Proposer(sync());
        greetAll(proposer, 5, 5, 5);
        TermHistory older = SimWal.history(1, 0x10, 3, 0x80);
        TermHistory newer = SimWal.history(1, 0x10, 5, 0x90);
        proposer.onVoteResponse(granted(N1, 6, 0x500, older));
        List<ProposerEffect> effects = proposer.onVoteResponse(granted(N2, 6, 0x300, newer));
        Elected elected = only(effects, Elected.class).getFirst();
        assertThat(elected.donor()).isEqualTo(N2);
        assertThat(elected.termStartLsn()).isEqualTo(Lsn.of(0x300));
        assertThat(elected.termHistory()).isEqualTo(SimWal.history(1, 0x10, 5, 0x90, 6, 0x300));
        List<ElectRequest> elects = sent(effects, ElectRequest.class);
        // Node 1's WAL from 0x80 on is term 3's, which the new log does not contain; node 2 holds all of it.
        assertThat(elects).extracting(ElectRequest::startStreamingAt).containsExactly(Lsn.of(0x80), Lsn.of(0x300));
    }

    @Test
    void aRefusedVoteRestartsTheCampaignWithAHigherTerm() {
        Proposer proposer = new Proposer(sync());
        greetAll(proposer, 1, 1, 1);
        List<ProposerEffect> effects = proposer.onVoteResponse(
                new VoteResponse(N1, Term.of(9), false, Lsn.of(0x10), Lsn.of(0x10), TermHistory.EMPTY, Lsn.of(0x10)));
        assertThat(only(effects, Stopped.class)).isEmpty();
        // Nodes 2 and 3 still owe the answer for term 2; node 1 is asked again at once.
        assertThat(sent(effects, VoteRequest.class)).containsExactly(new VoteRequest(Simulation.TIMELINE, Term.of(10)));
        assertThat(proposer.term()).isEqualTo(Term.of(10));
    }

    @Test
    void aHigherTermAfterTheElectionStopsTheProposerForGood() {
        Proposer proposer = electedOnEmptyNodes(compute(0x100));
        List<ProposerEffect> effects = proposer.onAppendResponse(ack(N2, 4, 0x100, 0));
        assertThat(only(effects, Stopped.class))
                .singleElement()
                .satisfies(s -> assertThat(s.reason()).isEqualTo(StopReason.HIGHER_TERM))
                .satisfies(s -> assertThat(s.term()).isEqualTo(Term.of(4)));
        assertThat(proposer.isDone()).isTrue();
        assertThat(proposer.onLocalWal(Lsn.of(0x100), ByteString.copyFromUtf8("late")))
                .isEmpty();
    }

    @Test
    void aComputeWhoseBasebackupIsNotTheTermStartStops() {
        Proposer proposer = new Proposer(compute(0x200));
        greetAll(proposer, 0, 0, 0);
        proposer.onVoteResponse(granted(N1, 1, 0x100, TermHistory.EMPTY));
        List<ProposerEffect> effects = proposer.onVoteResponse(granted(N2, 1, 0x100, TermHistory.EMPTY));
        assertThat(only(effects, Stopped.class))
                .extracting(Stopped::reason)
                .containsExactly(StopReason.START_LSN_MISMATCH);
        assertThat(only(effects, Elected.class)).isEmpty();
    }

    @Test
    void commitIsTheQuorumHighestFlushAtOrAboveTheTermStartAndNeverGoesDown() {
        Proposer proposer = new Proposer(compute(0x100));
        greetAll(proposer, 1, 1, 1);
        TermHistory history = SimWal.history(1, 0x10);
        proposer.onVoteResponse(granted(N1, 2, 0x100, history));
        proposer.onVoteResponse(granted(N2, 2, 0x100, history));
        proposer.onVoteResponse(granted(N3, 2, 0x60, history)); // lagging: recovered from 0x60
        for (NodeId node : NODES) {
            long start = node.equals(N3) ? 0x60 : 0x100;
            proposer.onElectResponse(new ElectResponse(node, Term.of(2), Lsn.of(start), Optional.empty()));
        }
        proposer.onLocalWal(Lsn.of(0x100), SimWal.bytes(Term.of(2), Lsn.of(0x100), 0x80));
        assertThat(only(proposer.onAppendResponse(ack(N3, 2, 0x90, 0)), CommitLsnAdvanced.class))
                .isEmpty();
        assertThat(only(proposer.onAppendResponse(ack(N1, 2, 0x120, 0)), CommitLsnAdvanced.class))
                .isEmpty();
        assertThat(only(proposer.onAppendResponse(ack(N2, 2, 0x110, 0)), CommitLsnAdvanced.class))
                .containsExactly(new CommitLsnAdvanced(Lsn.of(0x110)));
        assertThat(only(proposer.onAppendResponse(ack(N1, 2, 0x150, 0)), CommitLsnAdvanced.class))
                .isEmpty();
        assertThat(only(proposer.onAppendResponse(ack(N2, 2, 0x100, 0)), CommitLsnAdvanced.class))
                .isEmpty();
        assertThat(proposer.commitLsn()).isEqualTo(Lsn.of(0x110));
        assertThat(only(proposer.onAppendResponse(ack(N3, 2, 0x130, 0)), CommitLsnAdvanced.class))
                .containsExactly(new CommitLsnAdvanced(Lsn.of(0x130)));
    }

    @Test
    void streamsInChunksWithinTheWindowAndAsksToRereadWhatLeftTheBuffer() {
        Proposer proposer = new Proposer(compute(0x100).withLimits(16, 40, 32));
        // PostgreSQL wrote 64 bytes before the election; the buffer keeps the newest 32.
        for (long lsn = 0x100; lsn < 0x140; lsn += 16) {
            assertThat(proposer.onLocalWal(Lsn.of(lsn), SimWal.bytes(Term.of(1), Lsn.of(lsn), 16)))
                    .isEmpty();
        }
        List<ProposerEffect> effects = electOnEmptyNodes(proposer);
        assertThat(sent(effects, AppendRequest.class)).isEmpty();
        assertThat(only(effects, ReadLocal.class))
                .containsExactly(
                        new ReadLocal(N1, Lsn.of(0x100), Lsn.of(0x110)),
                        new ReadLocal(N2, Lsn.of(0x100), Lsn.of(0x110)),
                        new ReadLocal(N3, Lsn.of(0x100), Lsn.of(0x110)));
        effects = proposer.onWalRead(
                N1, new WalChunk(Lsn.of(0x100), SimWal.bytes(Term.of(1), Lsn.of(0x100), 16), Lsn.INVALID));
        assertThat(only(effects, ReadLocal.class)).containsExactly(new ReadLocal(N1, Lsn.of(0x110), Lsn.of(0x120)));
        effects = proposer.onWalRead(
                N1, new WalChunk(Lsn.of(0x110), SimWal.bytes(Term.of(1), Lsn.of(0x110), 16), Lsn.INVALID));
        List<AppendRequest> appends = sent(effects, AppendRequest.class);
        // 48 bytes are then in flight, above the window of 40: the rest waits for an acknowledgement.
        assertThat(appends).extracting(AppendRequest::beginLsn).containsExactly(Lsn.of(0x110), Lsn.of(0x120));
        assertThat(appends).allSatisfy(a -> assertThat(a.walData().size()).isEqualTo(16));
        effects = proposer.onAppendResponse(ack(N1, 1, 0x130, 0));
        assertThat(sent(effects, AppendRequest.class))
                .extracting(AppendRequest::beginLsn, AppendRequest::endLsn)
                .containsExactly(tuple(Lsn.of(0x130), Lsn.of(0x140)));
    }

    @Test
    void aLaggingNodeIsRecoveredWithTheDonorsWal() {
        Proposer proposer = new Proposer(sync());
        greetAll(proposer, 1, 1, 1);
        TermHistory history = SimWal.history(1, 0x10);
        proposer.onVoteResponse(granted(N1, 2, 0x200, history));
        proposer.onVoteResponse(granted(N2, 2, 0x80, history));
        List<ProposerEffect> effects =
                proposer.onElectResponse(new ElectResponse(N2, Term.of(2), Lsn.of(0x80), Optional.empty()));
        ReadFromNode read = only(effects, ReadFromNode.class).getFirst();
        assertThat(read.source()).isEqualTo(N1);
        assertThat(read.forNode()).isEqualTo(N2);
        assertThat(read.request())
                .isEqualTo(new ReadWalRequest(Simulation.TIMELINE, Lsn.of(0x80), Lsn.of(0x200), Term.of(2)));
        ByteString donorWal = SimWal.bytes(Term.of(1), Lsn.of(0x80), 0x100);
        effects = proposer.onWalRead(N2, new WalChunk(Lsn.of(0x80), donorWal, Lsn.INVALID));
        assertThat(sent(effects, AppendRequest.class))
                .first()
                .satisfies(a -> assertThat(a.walData()).isEqualTo(donorWal))
                .satisfies(a -> assertThat(a.term()).isEqualTo(Term.of(2)));
    }

    @Test
    void syncCompletesOnceAQuorumKnowsTheTermStartIsCommitted() {
        Proposer proposer = new Proposer(sync());
        greetAll(proposer, 1, 1, 1);
        TermHistory history = SimWal.history(1, 0x10);
        proposer.onVoteResponse(granted(N1, 2, 0x200, history));
        proposer.onVoteResponse(granted(N2, 2, 0x200, history));
        proposer.onElectResponse(new ElectResponse(N1, Term.of(2), Lsn.of(0x200), Optional.empty()));
        proposer.onElectResponse(new ElectResponse(N2, Term.of(2), Lsn.of(0x200), Optional.empty()));
        proposer.onAppendResponse(ack(N1, 2, 0x200, 0x10));
        List<ProposerEffect> effects = proposer.onAppendResponse(ack(N2, 2, 0x200, 0x10));
        assertThat(only(effects, CommitLsnAdvanced.class)).containsExactly(new CommitLsnAdvanced(Lsn.of(0x200)));
        assertThat(sent(effects, AppendRequest.class))
                .allSatisfy(a -> assertThat(a.commitLsn()).isEqualTo(Lsn.of(0x200)));
        assertThat(only(proposer.onAppendResponse(ack(N1, 2, 0x200, 0x200)), SyncCompleted.class))
                .isEmpty();
        assertThat(only(proposer.onAppendResponse(ack(N2, 2, 0x200, 0x200)), SyncCompleted.class))
                .containsExactly(new SyncCompleted(Lsn.of(0x200)));
        assertThat(proposer.isDone()).isTrue();
    }

    @Test
    void syncIsImmediateWhenTheTermStartIsAlreadyOnEveryNode() {
        Proposer proposer = new Proposer(sync());
        greetAll(proposer, 1, 1, 1);
        TermHistory history = SimWal.history(1, 0x10);
        proposer.onVoteResponse(
                new VoteResponse(N1, Term.of(2), true, Lsn.of(0x200), Lsn.of(0x200), history, Lsn.of(0x10)));
        List<ProposerEffect> effects = proposer.onVoteResponse(
                new VoteResponse(N2, Term.of(2), true, Lsn.of(0x200), Lsn.of(0x150), history, Lsn.of(0x10)));
        assertThat(only(effects, SyncCompleted.class)).containsExactly(new SyncCompleted(Lsn.of(0x200)));
        assertThat(sent(effects, ElectRequest.class)).isEmpty();
    }

    @Test
    void aContradictoryVoteResponseIsATypedErrorAndChangesNothing() {
        Proposer proposer = new Proposer(sync());
        greetAll(proposer, 1, 1, 1);
        assertThatThrownBy(() -> proposer.onVoteResponse(granted(N1, 7, 0x10, TermHistory.EMPTY)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("expected: the asked term 2");
        assertThat(only(proposer.onVoteResponse(granted(N1, 2, 0x10, TermHistory.EMPTY)), Elected.class))
                .isEmpty();
        assertThat(only(proposer.onVoteResponse(granted(N2, 2, 0x10, TermHistory.EMPTY)), Elected.class))
                .hasSize(1);
        assertThatThrownBy(() -> proposer.onConnected(NodeId.of(42))).isInstanceOf(XenonException.class);
    }
}
