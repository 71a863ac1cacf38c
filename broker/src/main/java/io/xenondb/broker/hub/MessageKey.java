package io.xenondb.broker.hub;

import io.xenondb.proto.broker.MessageType;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import java.util.Objects;

/**
 * What a newer message replaces in a subscriber's buffer: one message per (type, timeline, sender WAL node).
 *
 * @param safekeeperId the WAL node the message is from, or {@code null} for a discovery request, which a storage
 *     node sends and which carries nothing but the timeline
 */
public record MessageKey(MessageType type, TenantTimelineId timeline, NodeId safekeeperId) {
    public MessageKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timeline, "timeline");
    }
}
