package io.xenondb.walnode.consensus;

import com.google.protobuf.ByteString;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerEffect.CommitLsnAdvanced;
import io.xenondb.walnode.consensus.ProposerEffect.ReadFromNode;
import io.xenondb.walnode.consensus.ProposerEffect.ReadLocal;
import io.xenondb.walnode.consensus.ProposerEffect.Send;
import io.xenondb.walnode.consensus.ProposerEffect.SyncCompleted;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.AppendResponse;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.WalChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The elected proposer's work: streaming WAL to every node that accepted its Elect (recovery WAL below the
 * term start from the donor or an up-to-date node, then local WAL), with flow control, and the commit LSN.
 */
final class Replication {
    private final ProposerConfig config;
    private final ProtocolFaults faults;
    private final Map<NodeId, Peer> peers;
    private final LocalWal localWal;
    private final List<ProposerEffect> out;
    final Term term;
    final Lsn termStart;
    final TermHistory history;
    final NodeId donor;
    private Lsn commitLsn = Lsn.INVALID;
    private Lsn truncateLsn;
    // Local WAL below this could not be re-read (PostgreSQL recycled it): take it from an up-to-date node.
    private Lsn localFloor = Lsn.INVALID;
    private boolean syncCompleted;

    Replication(
            ProposerConfig config,
            ProtocolFaults faults,
            Map<NodeId, Peer> peers,
            LocalWal localWal,
            List<ProposerEffect> out,
            Term term,
            TermHistory history,
            NodeId donor,
            Lsn truncateLsn) {
        this.config = config;
        this.faults = faults;
        this.peers = peers;
        this.localWal = localWal;
        this.out = out;
        this.term = term;
        this.history = history;
        this.termStart = history.last().orElseThrow().startLsn();
        this.donor = donor;
        this.truncateLsn = truncateLsn;
    }

    Lsn commitLsn() {
        return commitLsn;
    }

    Lsn truncateLsn() {
        return truncateLsn;
    }

    boolean isSyncCompleted() {
        return syncCompleted;
    }

    /**
     * SYNC mode: if every node already holds the term start and it is known committed (the voters' truncate
     * LSN reached it), there is nothing to do.
     */
    boolean completeSyncIfDone() {
        if (config.isSync() && !truncateLsn.isBefore(termStart)) {
            commitLsn = termStart;
            out.add(new CommitLsnAdvanced(commitLsn));
            finishSync();
        }
        return syncCompleted;
    }

    /** {@code peer} accepted our Elect: stream to it from its start point. */
    void activate(Peer peer) {
        peer.phase = Peer.Phase.ACTIVE;
        peer.acceptedElect = true;
        peer.streamingAt = peer.startStreamingAt;
        peer.sessionFlush = peer.startStreamingAt;
        peer.sentAnything = false;
        pump(peer);
    }

    /** An fsync acknowledgement in our term from a node that accepted our Elect. */
    void onAcknowledged(Peer peer, AppendResponse response) {
        // Only flushes acknowledged in our term, after our Elect, are our WAL: those alone count for commit.
        peer.ackedFlush = Lsn.max(peer.ackedFlush, response.flushLsn());
        peer.ackedCommit = Lsn.max(peer.ackedCommit, response.commitLsn());
        if (peer.phase == Peer.Phase.ACTIVE) {
            peer.sessionFlush = Lsn.max(peer.sessionFlush, response.flushLsn());
        }
        updateCommit();
        pump(peer);
    }

    void onRead(Peer peer, WalChunk chunk) {
        Peer.PendingRead read = peer.pendingRead;
        if (read == null || !read.begin().equals(chunk.beginLsn())) {
            return;
        }
        peer.pendingRead = null;
        if (chunk.walData().isEmpty() || chunk.walData().size() > read.end().minus(read.begin())) {
            peer.readBackoff = true;
        } else if (peer.phase == Peer.Phase.ACTIVE && peer.streamingAt.equals(read.begin())) {
            sendAppend(peer, chunk.walData());
            pump(peer);
        }
    }

    void onReadFailed(Peer peer, Lsn begin) {
        Peer.PendingRead read = peer.pendingRead;
        if (read == null || !read.begin().equals(begin)) {
            return;
        }
        peer.pendingRead = null;
        peer.readBackoff = true;
        if (read.source() == null) {
            localFloor = Lsn.max(localFloor, read.end());
        }
    }

    /** Reads served by {@code lost} will never answer: forget them so they are asked elsewhere. */
    void onConnectionLost(Peer lost) {
        for (Peer peer : peers.values()) {
            if (peer.pendingRead != null && lost.id.equals(peer.pendingRead.source())) {
                peer.pendingRead = null;
                pump(peer);
            }
        }
    }

    void onTick() {
        for (Peer peer : peers.values()) {
            peer.readBackoff = false;
            pump(peer);
        }
    }

    void pumpAll() {
        peers.values().forEach(this::pump);
    }

    /** Sends what {@code peer} can take now: WAL up to the end available, else a heartbeat with news. */
    private void pump(Peer peer) {
        if (syncCompleted || peer.phase != Peer.Phase.ACTIVE) {
            return;
        }
        Lsn target = config.isSync() ? termStart : Lsn.max(termStart, localWal.end());
        while (peer.streamingAt.isBefore(target)) {
            if (peer.pendingRead != null || peer.inflightBytes() >= config.maxInflightBytes()) {
                return;
            }
            Lsn begin = peer.streamingAt;
            Lsn end = Lsn.min(begin.plus(config.maxAppendBytes()), target);
            if (begin.isBefore(termStart)) {
                end = Lsn.min(end, termStart);
            }
            ByteString buffered = begin.isBefore(termStart) ? null : localWal.read(begin, end);
            if (buffered == null) {
                requestRead(peer, begin, end);
                return;
            }
            sendAppend(peer, buffered);
        }
        // A heartbeat when there is news, and once after Elect so that the node reports its position.
        if (!peer.sentAnything || !peer.sentCommit.equals(commitLsn) || !peer.sentTruncate.equals(truncateLsn)) {
            sendAppend(peer, ByteString.EMPTY);
        }
    }

    private void requestRead(Peer peer, Lsn begin, Lsn end) {
        if (peer.readBackoff) {
            return;
        }
        if (!begin.isBefore(termStart) && !begin.isBefore(localFloor)) {
            peer.pendingRead = new Peer.PendingRead(begin, end, null);
            out.add(new ReadLocal(peer.id, begin, end));
            return;
        }
        // Our log is the donor's WAL below the term start, and any node's WAL up to the flush LSN it
        // acknowledged in our term.
        Peer source = null;
        Lsn sourceEnd = Lsn.INVALID;
        Peer donorPeer = peers.get(donor);
        if (begin.isBefore(termStart) && donorPeer != peer && donorPeer.isConnected()) {
            source = donorPeer;
            sourceEnd = termStart;
        } else {
            for (Peer other : peers.values()) {
                if (other != peer && other.isConnected() && other.ackedFlush.isAfter(begin)) {
                    source = other;
                    sourceEnd = other.ackedFlush;
                    break;
                }
            }
        }
        if (source == null) {
            peer.readBackoff = true;
            return;
        }
        Lsn readEnd = Lsn.min(end, sourceEnd);
        peer.pendingRead = new Peer.PendingRead(begin, readEnd, source.id);
        out.add(new ReadFromNode(source.id, peer.id, new ReadWalRequest(config.timeline(), begin, readEnd, term)));
    }

    private void sendAppend(Peer peer, ByteString data) {
        Lsn begin = peer.streamingAt;
        Lsn end = begin.plus(data.size());
        peer.streamingAt = end;
        peer.sentAnything = true;
        peer.sentCommit = commitLsn;
        peer.sentTruncate = truncateLsn;
        out.add(new Send(
                peer.id, new AppendRequest(config.timeline(), term, begin, end, commitLsn, truncateLsn, data)));
    }

    /**
     * Commit LSN = the quorum-th highest flush LSN acknowledged in our term, counting only those at or above
     * the term start: WAL of older terms that this term merely copied becomes committed only together with
     * WAL of this term (Raft's rule; without it a later election can still cut that WAL).
     */
    private void updateCommit() {
        List<Lsn> flushes = new ArrayList<>();
        Lsn minFlush = Lsn.MAX;
        for (Peer peer : peers.values()) {
            boolean counts = faults.commitCountsVoteFlush() || !peer.ackedFlush.isBefore(termStart);
            flushes.add(counts ? peer.ackedFlush : Lsn.INVALID);
            minFlush = Lsn.min(minFlush, peer.ackedFlush);
        }
        flushes.sort(Comparator.reverseOrder());
        Lsn candidate = flushes.get(config.quorum() - 1);
        if (candidate.isAfter(commitLsn)) {
            commitLsn = candidate;
            out.add(new CommitLsnAdvanced(commitLsn));
        }
        // Below min(every node's flush, commit) the WAL is on every node and committed.
        truncateLsn = Lsn.max(truncateLsn, Lsn.min(minFlush, commitLsn));
        if (config.isSync() && !commitLsn.isBefore(termStart)) {
            long synced = peers.values().stream()
                    .filter(p -> !p.ackedCommit.isBefore(termStart))
                    .count();
            // Done once a quorum also knows it is committed: readers can then get it from any majority.
            if (synced >= config.quorum()) {
                finishSync();
                return;
            }
        }
        pumpAll();
    }

    private void finishSync() {
        out.add(new SyncCompleted(termStart));
        syncCompleted = true;
    }
}
