package io.xenondb.broker.hub;

import static io.xenondb.broker.hub.Messages.info;
import static io.xenondb.broker.hub.Messages.timeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.xenondb.proto.broker.MessageType;
import io.xenondb.proto.broker.SafekeeperDiscoveryRequest;
import io.xenondb.proto.broker.SafekeeperDiscoveryResponse;
import io.xenondb.proto.broker.TypedMessage;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import org.junit.jupiter.api.Test;

class BrokerMessageTest {
    @Test
    void keysNameTypeTimelineAndSender() {
        assertThat(BrokerMessage.of(info(3, 7, 1)).key())
                .isEqualTo(new MessageKey(MessageType.SAFEKEEPER_TIMELINE_INFO, timeline(3), new NodeId(7)));
        TypedMessage response = TypedMessage.newBuilder()
                .setType(MessageType.SAFEKEEPER_DISCOVERY_RESPONSE)
                .setSafekeeperDiscoveryResponse(SafekeeperDiscoveryResponse.newBuilder()
                        .setSafekeeperId(9)
                        .setTenantTimelineId(timeline(4).toBrokerProto()))
                .build();
        assertThat(BrokerMessage.of(response).key())
                .isEqualTo(new MessageKey(MessageType.SAFEKEEPER_DISCOVERY_RESPONSE, timeline(4), new NodeId(9)));
    }

    @Test
    void onlyThePayloadOfTheTypeIsKept() {
        TypedMessage mixed = TypedMessage.newBuilder()
                .setType(MessageType.SAFEKEEPER_DISCOVERY_REQUEST)
                .setSafekeeperDiscoveryRequest(SafekeeperDiscoveryRequest.newBuilder()
                        .setTenantTimelineId(timeline(1).toBrokerProto()))
                .setSafekeeperTimelineInfo(info(2, 1, 1))
                .build();

        BrokerMessage message = BrokerMessage.of(mixed);

        assertThat(message.key())
                .isEqualTo(new MessageKey(MessageType.SAFEKEEPER_DISCOVERY_REQUEST, timeline(1), null));
        assertThat(message.typed().hasSafekeeperTimelineInfo()).isFalse();
        assertThat(message.typed().getSafekeeperDiscoveryRequest()).isEqualTo(mixed.getSafekeeperDiscoveryRequest());
    }

    @Test
    void badMessagesAreUserInputErrorsSayingWhatWasWrong() {
        assertRejected(
                TypedMessage.newBuilder().setTypeValue(0).build(), "type: 0 (expected: SAFEKEEPER_TIMELINE_INFO (2), ");
        assertRejected(TypedMessage.newBuilder().setTypeValue(77).build(), "type: 77 (expected: ");
        assertRejected(
                TypedMessage.newBuilder()
                        .setType(MessageType.SAFEKEEPER_TIMELINE_INFO)
                        .build(),
                "safekeeper_timeline_info: missing (expected: set when type is SAFEKEEPER_TIMELINE_INFO)");
        assertRejected(
                TypedMessage.newBuilder()
                        .setType(MessageType.SAFEKEEPER_DISCOVERY_REQUEST)
                        .setSafekeeperDiscoveryRequest(SafekeeperDiscoveryRequest.getDefaultInstance())
                        .build(),
                "tenant_timeline_id: missing (expected: 16-byte tenant_id and 16-byte timeline_id)");
        assertRejected(
                TypedMessage.newBuilder()
                        .setType(MessageType.SAFEKEEPER_TIMELINE_INFO)
                        .setSafekeeperTimelineInfo(info(1, 1, 1).toBuilder()
                                .setTenantTimelineId(
                                        timeline(1).toBrokerProto().toBuilder().setTenantId(ByteString.EMPTY)))
                        .build(),
                "tenant_id: empty (0 bytes; expected: 16 bytes)");
        assertThatThrownBy(() -> BrokerMessage.of(info(1, -1, 1)))
                .isInstanceOf(XenonException.class)
                .hasMessageStartingWith("node_id: 18446744073709551615 (expected: ");
    }

    private static void assertRejected(TypedMessage message, String expectedMessageStart) {
        assertThatThrownBy(() -> BrokerMessage.of(message))
                .isInstanceOf(XenonException.class)
                .hasMessageStartingWith(expectedMessageStart)
                .extracting(e -> ((XenonException) e).code().category().name())
                .isEqualTo("USER_INPUT");
    }
}
