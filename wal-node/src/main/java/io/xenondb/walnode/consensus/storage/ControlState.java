package io.xenondb.walnode.consensus.storage;

import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.consensus.message.TermHistory;
import java.util.Objects;

/**
 * What a WAL node persists about a timeline besides the WAL: the highest term it voted for or accepted, the
 * history of its WAL (adopted from the last proposer it accepted, so it may reach beyond the WAL held), and
 * checkpoints of the commit and truncate LSNs (the live values may be ahead; they only ever grow).
 */
public record ControlState(
        TenantTimelineId timeline,
        ServerInfo serverInfo,
        Lsn timelineStartLsn,
        Term term,
        TermHistory termHistory,
        Lsn commitLsn,
        Lsn truncateLsn) {
    public ControlState {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(serverInfo, "serverInfo");
        Objects.requireNonNull(timelineStartLsn, "timelineStartLsn");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(termHistory, "termHistory");
        Objects.requireNonNull(commitLsn, "commitLsn");
        Objects.requireNonNull(truncateLsn, "truncateLsn");
    }

    /** The state of a timeline just created: no term, no history, nothing committed beyond its start. */
    public static ControlState initial(TenantTimelineId timeline, ServerInfo serverInfo, Lsn timelineStartLsn) {
        return new ControlState(
                timeline,
                serverInfo,
                timelineStartLsn,
                Term.ZERO,
                TermHistory.EMPTY,
                timelineStartLsn,
                timelineStartLsn);
    }

    public ControlState withTerm(Term newTerm) {
        return new ControlState(timeline, serverInfo, timelineStartLsn, newTerm, termHistory, commitLsn, truncateLsn);
    }

    public ControlState withTermHistory(TermHistory newHistory) {
        return new ControlState(timeline, serverInfo, timelineStartLsn, term, newHistory, commitLsn, truncateLsn);
    }

    public ControlState withServerInfo(ServerInfo newInfo) {
        return new ControlState(timeline, newInfo, timelineStartLsn, term, termHistory, commitLsn, truncateLsn);
    }

    public ControlState withPositions(Lsn newCommitLsn, Lsn newTruncateLsn) {
        return new ControlState(
                timeline, serverInfo, timelineStartLsn, term, termHistory, newCommitLsn, newTruncateLsn);
    }
}
