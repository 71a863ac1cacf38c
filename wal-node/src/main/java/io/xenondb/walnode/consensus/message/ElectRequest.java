package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;
import java.util.Optional;

/**
 * The elected proposer announces its history (the donor's plus {@code {term, termStartLsn}}) and where it will
 * stream to this node: the node truncates its WAL there and adopts the history. {@code startStreamingAt} is
 * above the term start only when the node already holds WAL of this term (a resync after reconnecting).
 */
public record ElectRequest(
        TenantTimelineId timeline, Term term, Lsn termStartLsn, TermHistory termHistory, Lsn startStreamingAt)
        implements ProposerMessage {
    public ElectRequest {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(termStartLsn, "termStartLsn");
        Objects.requireNonNull(termHistory, "termHistory");
        Objects.requireNonNull(startStreamingAt, "startStreamingAt");
        if (!termHistory.last().equals(Optional.of(new TermStart(term, termStartLsn)))) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "elect: term history " + termHistory + " for term " + term + " starting at " + termStartLsn
                            + " (expected: a history ending with " + term + "@" + termStartLsn + ")");
        }
    }
}
