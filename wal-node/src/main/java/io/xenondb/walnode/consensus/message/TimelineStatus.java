package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;

/**
 * The consensus state of one WAL node for one timeline (the consensus part of GetTimelineStatus; backup and
 * storage-node positions are added by the layers that own them).
 */
public record TimelineStatus(
        NodeId nodeId,
        TenantTimelineId timeline,
        Term term,
        Term lastLogTerm,
        TermHistory termHistory,
        Lsn flushLsn,
        Lsn commitLsn,
        Lsn truncateLsn,
        Lsn timelineStartLsn,
        Lsn localStartLsn,
        ServerInfo serverInfo) {
    public TimelineStatus {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(lastLogTerm, "lastLogTerm");
        Objects.requireNonNull(termHistory, "termHistory");
        Objects.requireNonNull(flushLsn, "flushLsn");
        Objects.requireNonNull(commitLsn, "commitLsn");
        Objects.requireNonNull(truncateLsn, "truncateLsn");
        Objects.requireNonNull(timelineStartLsn, "timelineStartLsn");
        Objects.requireNonNull(localStartLsn, "localStartLsn");
        Objects.requireNonNull(serverInfo, "serverInfo");
    }
}
