package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;

/**
 * The node's answer to a vote request: its term after the request (the requested one if the vote was given),
 * and its WAL position: fsynced end, truncate LSN, and the history of that WAL.
 */
public record VoteResponse(
        NodeId nodeId,
        Term term,
        boolean voteGiven,
        Lsn flushLsn,
        Lsn truncateLsn,
        TermHistory termHistory,
        Lsn timelineStartLsn) {
    public VoteResponse {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(flushLsn, "flushLsn");
        Objects.requireNonNull(truncateLsn, "truncateLsn");
        Objects.requireNonNull(termHistory, "termHistory");
        Objects.requireNonNull(timelineStartLsn, "timelineStartLsn");
        if (termHistory.last().isPresent()
                && termHistory.last().get().startLsn().isAfter(flushLsn)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "vote response: term history " + termHistory + " goes beyond flush_lsn " + flushLsn
                            + " (expected: the history of the WAL up to flush_lsn)");
        }
    }

    /** Term of the WAL at the node's flush LSN: the donor is the voter with the highest (this, flushLsn). */
    public Term lastLogTerm() {
        return termHistory.upTo(flushLsn).lastTerm();
    }
}
