package io.xenondb.broker.hub;

import io.xenondb.proto.broker.MessageType;
import io.xenondb.proto.broker.SafekeeperDiscoveryRequest;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.proto.broker.TypedMessage;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;

/** Test messages: timeline i of one tenant, WAL node state with a commit LSN that says which update it is. */
final class Messages {
    private Messages() {}

    static TenantTimelineId timeline(int i) {
        return new TenantTimelineId(new TenantId(0x1234, 0x5678), new TimelineId(0xABCD, i));
    }

    static SafekeeperTimelineInfo info(int timeline, long safekeeper, long commitLsn) {
        return SafekeeperTimelineInfo.newBuilder()
                .setSafekeeperId(safekeeper)
                .setTenantTimelineId(timeline(timeline).toBrokerProto())
                .setCommitLsn(commitLsn)
                .setFlushLsn(commitLsn)
                .setSafekeeperConnstr("wal-" + safekeeper + ":5454")
                .build();
    }

    static BrokerMessage state(int timeline, long safekeeper, long commitLsn) {
        return BrokerMessage.of(info(timeline, safekeeper, commitLsn));
    }

    static BrokerMessage discoveryRequest(int timeline) {
        return BrokerMessage.of(TypedMessage.newBuilder()
                .setType(MessageType.SAFEKEEPER_DISCOVERY_REQUEST)
                .setSafekeeperDiscoveryRequest(SafekeeperDiscoveryRequest.newBuilder()
                        .setTenantTimelineId(timeline(timeline).toBrokerProto()))
                .build());
    }

    static long commitLsn(BrokerMessage message) {
        return message.typed().getSafekeeperTimelineInfo().getCommitLsn();
    }
}
