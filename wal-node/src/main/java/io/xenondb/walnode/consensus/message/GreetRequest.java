package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;

/**
 * A proposer's first contact with a WAL node for a timeline. {@code timelineStartLsn} (where the timeline's
 * WAL begins) matters only when {@code allowTimelineCreation} lets the node create the timeline.
 */
public record GreetRequest(
        TenantTimelineId timeline,
        String proposerId,
        ServerInfo serverInfo,
        boolean allowTimelineCreation,
        Lsn timelineStartLsn)
        implements ProposerMessage {
    public GreetRequest {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(serverInfo, "serverInfo");
        Objects.requireNonNull(timelineStartLsn, "timelineStartLsn");
        proposerId = proposerId == null ? "" : proposerId;
    }
}
