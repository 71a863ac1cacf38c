package io.xenondb.broker.hub;

import io.xenondb.proto.broker.MessageType;
import io.xenondb.shared.id.TenantTimelineId;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a subscriber wants: messages of some types, about every timeline or about one.
 *
 * @param timeline the one timeline, or {@code null} for all timelines
 * @param types the message types delivered; none means nothing is delivered (as Neon's SubscribeByFilter)
 */
public record SubscriptionFilter(TenantTimelineId timeline, Set<MessageType> types) {
    public SubscriptionFilter {
        Objects.requireNonNull(types, "types");
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    public static SubscriptionFilter all(Set<MessageType> types) {
        return new SubscriptionFilter(null, types);
    }

    public static SubscriptionFilter timeline(TenantTimelineId timeline, Set<MessageType> types) {
        return new SubscriptionFilter(Objects.requireNonNull(timeline, "timeline"), types);
    }

    public boolean allTimelines() {
        return timeline == null;
    }

    public boolean matches(BrokerMessage message) {
        return types.contains(message.type())
                && (timeline == null || timeline.equals(message.key().timeline()));
    }

    @Override
    public String toString() {
        return (timeline == null ? "all" : timeline.toString()) + " " + types;
    }
}
