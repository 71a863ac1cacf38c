package io.xenondb.broker.hub;

import io.xenondb.proto.broker.MessageType;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.proto.broker.TypedMessage;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import java.util.Objects;

/**
 * A validated message on its way through the broker: its routing key and the wire form subscribers receive, which
 * holds exactly the payload field matching its type.
 */
public record BrokerMessage(MessageKey key, TypedMessage typed) {
    public BrokerMessage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(typed, "typed");
    }

    /** A WAL node's timeline state, as published on {@code PublishSafekeeperInfo}. */
    public static BrokerMessage of(SafekeeperTimelineInfo info) {
        MessageKey key = new MessageKey(
                MessageType.SAFEKEEPER_TIMELINE_INFO,
                TimelineIds.fromProto(info.hasTenantTimelineId(), info.getTenantTimelineId()),
                new NodeId(info.getSafekeeperId()));
        return new BrokerMessage(
                key,
                TypedMessage.newBuilder()
                        .setType(MessageType.SAFEKEEPER_TIMELINE_INFO)
                        .setSafekeeperTimelineInfo(info)
                        .build());
    }

    /**
     * A typed message as published on {@code PublishOne}; payload fields that do not match the type are dropped, as
     * Neon does.
     *
     * @throws XenonException USER_INPUT for an unknown type, a missing payload or a malformed id
     */
    public static BrokerMessage of(TypedMessage message) {
        // The type is copied only once known: protobuf refuses to set an unrecognised enum value.
        TypedMessage.Builder typed = TypedMessage.newBuilder();
        MessageKey key = switch (message.getType()) {
            case SAFEKEEPER_TIMELINE_INFO -> {
                requirePayload(message.hasSafekeeperTimelineInfo(), "safekeeper_timeline_info", message);
                yield of(message.getSafekeeperTimelineInfo()).key();
            }
            case SAFEKEEPER_DISCOVERY_REQUEST -> {
                requirePayload(message.hasSafekeeperDiscoveryRequest(), "safekeeper_discovery_request", message);
                var request = message.getSafekeeperDiscoveryRequest();
                typed.setSafekeeperDiscoveryRequest(request);
                yield new MessageKey(
                        MessageType.SAFEKEEPER_DISCOVERY_REQUEST,
                        TimelineIds.fromProto(request.hasTenantTimelineId(), request.getTenantTimelineId()),
                        null);
            }
            case SAFEKEEPER_DISCOVERY_RESPONSE -> {
                requirePayload(message.hasSafekeeperDiscoveryResponse(), "safekeeper_discovery_response", message);
                var response = message.getSafekeeperDiscoveryResponse();
                typed.setSafekeeperDiscoveryResponse(response);
                yield new MessageKey(
                        MessageType.SAFEKEEPER_DISCOVERY_RESPONSE,
                        TimelineIds.fromProto(response.hasTenantTimelineId(), response.getTenantTimelineId()),
                        new NodeId(response.getSafekeeperId()));
            }
            case UNKNOWN, UNRECOGNIZED ->
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        "type: " + message.getTypeValue() + " (expected: SAFEKEEPER_TIMELINE_INFO (2), "
                                + "SAFEKEEPER_DISCOVERY_REQUEST (3) or SAFEKEEPER_DISCOVERY_RESPONSE (4))");
        };
        if (key.type() == MessageType.SAFEKEEPER_TIMELINE_INFO) {
            typed.setSafekeeperTimelineInfo(message.getSafekeeperTimelineInfo());
        }
        return new BrokerMessage(key, typed.setType(key.type()).build());
    }

    public MessageType type() {
        return key.type();
    }

    private static void requirePayload(boolean present, String field, TypedMessage message) {
        if (!present) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    field + ": missing (expected: set when type is " + message.getType() + ")");
        }
    }
}
