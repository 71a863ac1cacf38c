package io.xenondb.broker.hub;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import java.util.HexFormat;

/** Reads the broker proto's timeline id, with errors that show the bytes that were sent. */
public final class TimelineIds {
    private static final int ID_BYTES = 16;
    private static final int MAX_SHOWN_BYTES = 32;

    private TimelineIds() {}

    /**
     * The timeline named by {@code proto}; {@code present} is the proto's {@code has...()} answer.
     *
     * @throws XenonException INVALID_ID when the timeline is missing or an id is not 16 bytes
     */
    public static TenantTimelineId fromProto(boolean present, io.xenondb.proto.broker.TenantTimelineId proto) {
        if (!present) {
            throw new XenonException(
                    ErrorCode.INVALID_ID,
                    "tenant_timeline_id: missing (expected: 16-byte tenant_id and 16-byte timeline_id)");
        }
        check("tenant_id", proto.getTenantId());
        check("timeline_id", proto.getTimelineId());
        return TenantTimelineId.fromProto(proto);
    }

    private static void check(String field, ByteString bytes) {
        if (bytes.size() != ID_BYTES) {
            throw new XenonException(
                    ErrorCode.INVALID_ID,
                    field + ": " + shown(bytes) + " (" + bytes.size() + " bytes; expected: 16 bytes)");
        }
    }

    private static String shown(ByteString bytes) {
        if (bytes.isEmpty()) {
            return "empty";
        }
        String hex = HexFormat.of()
                .formatHex(bytes.substring(0, Math.min(bytes.size(), MAX_SHOWN_BYTES))
                        .toByteArray());
        return "0x" + hex + (bytes.size() > MAX_SHOWN_BYTES ? "..." : "");
    }
}
