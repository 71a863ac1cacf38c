package io.xenondb.walnode.consensus;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerEffect.Elected;
import io.xenondb.walnode.consensus.ProposerEffect.ReadFromNode;
import io.xenondb.walnode.consensus.ProposerEffect.ReadLocal;
import io.xenondb.walnode.consensus.ProposerEffect.Send;
import io.xenondb.walnode.consensus.ProposerEffect.StopReason;
import io.xenondb.walnode.consensus.ProposerEffect.Stopped;
import io.xenondb.walnode.consensus.ProposerEffect.SyncCompleted;
import io.xenondb.walnode.consensus.message.AppendResponse;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.ElectResponse;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.GreetResponse;
import io.xenondb.walnode.consensus.message.ProposerMessage;
import io.xenondb.walnode.consensus.message.Refusal;
import io.xenondb.walnode.consensus.message.RefusalReason;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.VoteResponse;
import io.xenondb.walnode.consensus.message.WalChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The proposer side of the consensus for one timeline over a fixed set of WAL nodes (Neon's walproposer), as
 * a state machine without threads, clocks or sockets: each {@code on...} method takes one event from the IO
 * layer and returns the effects to carry out, in order. The IO layer must deliver a node's answers in the
 * order of the requests on one connection, report every connection loss with {@link #onDisconnected}, and
 * check that a response's node id is the node it called. Not thread-safe: one event at a time.
 *
 * <p>Phases: greet a quorum, campaign for term (highest term seen) + 1 until a quorum grants it, then as the
 * elected proposer bring every reachable node onto its history and stream WAL, reporting the commit LSN. Any
 * sign of a higher term after the election is terminal ({@link StopReason#HIGHER_TERM}); before it, the
 * campaign restarts with a higher term. See docs/wal-consensus.md for the rules and why they are safe.
 */
public final class Proposer {
    private enum Phase {
        GREETING,
        CAMPAIGN,
        ELECTED,
        DONE
    }

    private final ProposerConfig config;
    private final ProtocolFaults faults;
    private final Map<NodeId, Peer> peers = new LinkedHashMap<>();
    private final LocalWal localWal;
    private Phase phase = Phase.GREETING;
    private final List<ProposerEffect> out = new ArrayList<>();
    private final Campaign campaign;
    private Replication replication;

    public Proposer(ProposerConfig config) {
        this(config, ProtocolFaults.NONE);
    }

    Proposer(ProposerConfig config, ProtocolFaults faults) {
        this.config = config;
        this.faults = faults;
        config.nodes().forEach(id -> peers.put(id, new Peer(id)));
        this.localWal = config.isSync() ? null : new LocalWal(config.startLsn(), config.localBufferBytes());
        this.campaign = new Campaign(config, peers, out);
    }

    /** A connection to {@code node} is up (again): greet it. */
    public List<ProposerEffect> onConnected(NodeId node) {
        Peer peer = peer(node);
        if (phase != Phase.DONE) {
            onConnectionLost(peer);
            peer.phase = Peer.Phase.AWAIT_GREET;
            send(
                    peer,
                    new GreetRequest(
                            config.timeline(),
                            config.proposerId(),
                            config.serverInfo(),
                            config.allowTimelineCreation(),
                            config.timelineStartLsn()));
        }
        return drain();
    }

    /** The connection to {@code node} is gone; answers still on their way from it will never arrive. */
    public List<ProposerEffect> onDisconnected(NodeId node) {
        Peer peer = peer(node);
        if (phase != Phase.DONE) {
            onConnectionLost(peer);
        }
        return drain();
    }

    public List<ProposerEffect> onGreetResponse(GreetResponse response) {
        Peer peer = peer(response.nodeId());
        if (phase == Phase.DONE || peer.phase != Peer.Phase.AWAIT_GREET) {
            return drain();
        }
        campaign.see(response.term());
        peer.phase = Peer.Phase.GREETED;
        switch (phase) {
            case GREETING -> {
                if (count(Peer.Phase.GREETED) >= config.quorum()) {
                    phase = Phase.CAMPAIGN;
                    campaign.restart();
                }
            }
            case CAMPAIGN -> {
                if (campaign.isLostTo(peer, response.term())) {
                    campaign.restart();
                } else {
                    campaign.askVote(peer);
                }
            }
            case ELECTED -> {
                if (response.term().isAfter(term())) {
                    stop(StopReason.HIGHER_TERM, "node " + peer.id + " greeted with term " + response.term());
                } else {
                    campaign.askVote(peer);
                }
            }
            case DONE -> {}
        }
        return drain();
    }

    public List<ProposerEffect> onVoteResponse(VoteResponse response) {
        Peer peer = peer(response.nodeId());
        if (phase == Phase.DONE || peer.phase != Peer.Phase.AWAIT_VOTE) {
            return drain();
        }
        Term asked = peer.voteAskedFor;
        if (response.voteGiven()
                ? !response.term().equals(asked)
                : response.term().isBefore(asked)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "vote response from node " + peer.id + ": term " + response.term() + ", given "
                            + response.voteGiven() + " (expected: the asked term " + asked
                            + " if given, else a term at or above it)");
        }
        campaign.see(response.term());
        peer.voteAskedFor = null;
        peer.voteInfo = response;
        peer.phase = Peer.Phase.VOTED;
        if (phase == Phase.CAMPAIGN) {
            if (campaign.onVote(peer, asked, response)) {
                becomeElected();
            }
        } else if (phase == Phase.ELECTED) {
            if (response.term().isAfter(term())) {
                stop(StopReason.HIGHER_TERM, "node " + peer.id + " refused the vote with term " + response.term());
            } else if (!asked.equals(term())) {
                campaign.askVote(peer);
            } else {
                // A late voter, or a node resyncing: either way its term is ours, so it takes our history.
                sendElect(peer);
            }
        }
        return drain();
    }

    public List<ProposerEffect> onElectResponse(ElectResponse response) {
        Peer peer = peer(response.nodeId());
        if (phase != Phase.ELECTED || peer.phase != Peer.Phase.AWAIT_ELECT) {
            return drain();
        }
        campaign.see(response.term());
        Optional<Refusal> refusal = response.refusal();
        if (response.term().isAfter(term())
                || refusal.map(r -> r.reason() == RefusalReason.STALE_TERM).orElse(false)) {
            stop(StopReason.HIGHER_TERM, "node " + peer.id + " refused Elect with term " + response.term());
        } else if (refusal.isPresent() || !response.flushLsn().equals(peer.startStreamingAt)) {
            // The node moved since it reported its position: ask again (the vote request doubles as a status).
            campaign.askVote(peer);
        } else {
            replication.activate(peer);
        }
        return drain();
    }

    public List<ProposerEffect> onAppendResponse(AppendResponse response) {
        Peer peer = peer(response.nodeId());
        if (phase != Phase.ELECTED || !peer.acceptedElect) {
            return drain();
        }
        campaign.see(response.term());
        Optional<Refusal> refusal = response.refusal();
        if (response.term().isAfter(term())
                || refusal.map(r -> r.reason() == RefusalReason.STALE_TERM).orElse(false)) {
            stop(StopReason.HIGHER_TERM, "node " + peer.id + " answered an append with term " + response.term());
        } else if (refusal.isPresent()) {
            if (peer.phase == Peer.Phase.ACTIVE) {
                campaign.askVote(peer);
            }
        } else if (response.term().isBefore(term())) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "append response from node " + peer.id + ": term " + response.term() + " without refusal"
                            + " (expected: term " + term() + ", which the node accepted)");
        } else {
            replication.onAcknowledged(peer, response);
        }
        return drain();
    }

    /** WAL read for {@code forNode} (answer to {@link ReadFromNode} or {@link ReadLocal}). */
    public List<ProposerEffect> onWalRead(NodeId forNode, WalChunk chunk) {
        Peer peer = peer(forNode);
        if (phase == Phase.ELECTED) {
            replication.onRead(peer, chunk);
        }
        return drain();
    }

    /** A read for {@code forNode} failed; {@code refusal} if the source refused it. Retried on a later tick. */
    public List<ProposerEffect> onWalReadFailed(NodeId forNode, Lsn begin, Optional<Refusal> refusal) {
        Peer peer = peer(forNode);
        if (phase != Phase.ELECTED) {
            return drain();
        }
        refusal.ifPresent(r -> campaign.see(r.term()));
        if (refusal.isPresent() && refusal.get().term().isAfter(term())) {
            stop(
                    StopReason.HIGHER_TERM,
                    "a recovery read for node " + forNode + " was refused with term "
                            + refusal.get().term());
        } else {
            replication.onReadFailed(peer, begin);
        }
        return drain();
    }

    /** New WAL from the local PostgreSQL (COMPUTE mode), contiguous from the start LSN on. */
    public List<ProposerEffect> onLocalWal(Lsn begin, ByteString data) {
        if (localWal == null) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "local wal in SYNC mode (expected: COMPUTE mode)");
        }
        localWal.append(begin, data);
        if (phase == Phase.ELECTED) {
            replication.pumpAll();
        }
        return drain();
    }

    /** Time passes: retry what waited (failed reads). */
    public List<ProposerEffect> onTick() {
        if (phase == Phase.ELECTED) {
            replication.onTick();
        }
        return drain();
    }

    /** The campaign's term, or once elected the term won. */
    public Term term() {
        return campaign.term();
    }

    /** True once elected (also after a terminal effect that followed the election). */
    public boolean isElected() {
        return replication != null;
    }

    /** True after a terminal effect ({@link Stopped} or {@link SyncCompleted}). */
    public boolean isDone() {
        return phase == Phase.DONE;
    }

    /** Where the won term's WAL starts; {@link Lsn#INVALID} before the election. */
    public Lsn termStartLsn() {
        return replication == null ? Lsn.INVALID : replication.termStart;
    }

    /** The proposer's history (the donor's plus its own term); empty before the election. */
    public TermHistory termHistory() {
        return replication == null ? TermHistory.EMPTY : replication.history;
    }

    public Lsn commitLsn() {
        return replication == null ? Lsn.INVALID : replication.commitLsn();
    }

    public Lsn truncateLsn() {
        return replication == null ? Lsn.INVALID : replication.truncateLsn();
    }

    private void becomeElected() {
        Campaign.Outcome won = campaign.outcome();
        Lsn termStart = won.termStart();
        replication = new Replication(
                config, faults, peers, localWal, out, won.term(), won.history(), won.donor(), won.truncateLsn());
        phase = Phase.ELECTED;
        if (!config.isSync() && !termStart.equals(config.startLsn())) {
            stop(
                    StopReason.START_LSN_MISMATCH,
                    "term " + won.term() + " starts at " + termStart + " but the compute's basebackup is at "
                            + config.startLsn());
            return;
        }
        out.add(new Elected(won.term(), termStart, won.history(), won.donor()));
        if (faults.commitCountsVoteFlush()) {
            won.votes().forEach(v -> peers.get(v.nodeId()).ackedFlush = v.flushLsn());
        }
        if (replication.completeSyncIfDone()) {
            return;
        }
        for (Peer peer : peers.values()) {
            if (peer.phase == Peer.Phase.VOTED) {
                sendElect(peer);
            }
        }
    }

    private void sendElect(Peer peer) {
        VoteResponse info = peer.voteInfo;
        TermHistory history = replication.history;
        peer.startStreamingAt = TermHistory.highestCommonPoint(history, info.termHistory(), info.flushLsn())
                .map(point -> point.startLsn())
                .orElse(history.first().orElseThrow().startLsn());
        peer.phase = Peer.Phase.AWAIT_ELECT;
        send(peer, new ElectRequest(config.timeline(), term(), replication.termStart, history, peer.startStreamingAt));
    }

    private void onConnectionLost(Peer peer) {
        peer.resetConnection();
        if (phase == Phase.ELECTED) {
            replication.onConnectionLost(peer);
        }
    }

    private void stop(StopReason reason, String detail) {
        out.add(new Stopped(reason, campaign.maxSeenTerm(), detail));
        phase = Phase.DONE;
    }

    private long count(Peer.Phase atLeast) {
        return peers.values().stream()
                .filter(p -> p.phase.compareTo(atLeast) >= 0)
                .count();
    }

    private void send(Peer peer, ProposerMessage message) {
        out.add(new Send(peer.id, message));
    }

    private Peer peer(NodeId node) {
        Peer peer = peers.get(node);
        if (peer == null) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "node " + node + " (expected: one of " + config.nodes() + ")");
        }
        return peer;
    }

    private List<ProposerEffect> drain() {
        if (phase == Phase.ELECTED && replication.isSyncCompleted()) {
            phase = Phase.DONE;
        }
        List<ProposerEffect> effects = List.copyOf(out);
        out.clear();
        return effects;
    }
}
