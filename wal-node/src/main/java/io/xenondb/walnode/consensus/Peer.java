package io.xenondb.walnode.consensus;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.VoteResponse;

/** What a proposer knows about one WAL node: the state of the current connection and what it acknowledged. */
final class Peer {
    /** Where the conversation on the current connection stands; requests and answers alternate until ACTIVE. */
    enum Phase {
        OFFLINE,
        AWAIT_GREET,
        GREETED,
        AWAIT_VOTE,
        VOTED,
        AWAIT_ELECT,
        ACTIVE
    }

    /** A WAL read under way for this node: from {@code source}, or from local WAL if null. */
    record PendingRead(Lsn begin, Lsn end, NodeId source) {}

    final NodeId id;
    Phase phase = Phase.OFFLINE;
    Term voteAskedFor;
    VoteResponse voteInfo;
    boolean acceptedElect;
    Lsn startStreamingAt = Lsn.INVALID;
    Lsn streamingAt = Lsn.INVALID;
    Lsn sessionFlush = Lsn.INVALID;
    boolean sentAnything;
    Lsn sentCommit = Lsn.INVALID;
    Lsn sentTruncate = Lsn.INVALID;
    PendingRead pendingRead;
    boolean readBackoff;
    // Kept across connections: the node's fsynced WAL end and commit LSN as acknowledged in our term.
    Lsn ackedFlush = Lsn.INVALID;
    Lsn ackedCommit = Lsn.INVALID;

    Peer(NodeId id) {
        this.id = id;
    }

    void resetConnection() {
        phase = Phase.OFFLINE;
        voteAskedFor = null;
        acceptedElect = false;
        sentAnything = false;
        pendingRead = null;
        readBackoff = false;
    }

    /** Unacknowledged bytes sent on this connection. */
    long inflightBytes() {
        return streamingAt.isAfter(sessionFlush) ? streamingAt.minus(sessionFlush) : 0;
    }

    boolean isConnected() {
        return phase != Phase.OFFLINE;
    }
}
