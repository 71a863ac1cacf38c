package io.xenondb.walnode.consensus;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.ProposerMessage;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.TermHistory;

/** What a {@link Proposer} asks its IO layer to do, or tells it. */
public sealed interface ProposerEffect {
    /** Send a request to a WAL node on its current connection. */
    record Send(NodeId to, ProposerMessage message) implements ProposerEffect {}

    /**
     * Read WAL from node {@code source} with ReadWal (a recovery read, {@code recovery_term} set) to stream
     * to {@code forNode}; answer with {@link Proposer#onWalRead} or {@link Proposer#onWalReadFailed}.
     */
    record ReadFromNode(NodeId source, NodeId forNode, ReadWalRequest request) implements ProposerEffect {}

    /**
     * Re-read local WAL {@code [beginLsn, endLsn)} (PostgreSQL keeps it from the commit LSN on) to stream to
     * {@code forNode}; answer with {@link Proposer#onWalRead} or {@link Proposer#onWalReadFailed}.
     */
    record ReadLocal(NodeId forNode, Lsn beginLsn, Lsn endLsn) implements ProposerEffect {}

    /** The proposer won {@code term}; its WAL starts at {@code termStartLsn}. */
    record Elected(Term term, Lsn termStartLsn, TermHistory termHistory, NodeId donor) implements ProposerEffect {}

    /** WAL below {@code commitLsn} is fsynced on a quorum: report it to PostgreSQL as flushed. */
    record CommitLsnAdvanced(Lsn commitLsn) implements ProposerEffect {}

    /** Terminal (SYNC mode): a new compute must start from {@code startLsn}; it is committed on a quorum. */
    record SyncCompleted(Lsn startLsn) implements ProposerEffect {}

    /** Terminal: the proposer must stop (and, for a compute, PostgreSQL with it). */
    record Stopped(StopReason reason, Term term, String detail) implements ProposerEffect {}

    /** Why a proposer stopped. */
    enum StopReason {
        /** A WAL node reported a higher term: another proposer took over; nothing more can commit. */
        HIGHER_TERM,
        /** Elected, but the term starts elsewhere than the compute's basebackup: it must start afresh. */
        START_LSN_MISMATCH
    }
}
