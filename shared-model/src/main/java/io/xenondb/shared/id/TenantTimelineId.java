package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A timeline of a tenant. Text form {@code <tenant>/<timeline>} as Neon's Display; JSON is the object
 * {@code {"tenant_id": ..., "timeline_id": ...}} as Neon's; in protobuf (broker and WAL service) the two ids
 * are 16 raw bytes each.
 */
public record TenantTimelineId(
        @JsonProperty("tenant_id") TenantId tenantId,
        @JsonProperty("timeline_id") TimelineId timelineId) implements Comparable<TenantTimelineId> {
    private static final String FIELD = "tenant_timeline_id";
    private static final String EXPECTED = "<32 hex chars>/<32 hex chars>";

    public TenantTimelineId {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(timelineId, "timelineId");
    }

    /** Parses {@code <tenant>/<timeline>}. */
    public static TenantTimelineId parse(String text) {
        if (text == null || text.length() != 2 * Id128.HEX_CHARS + 1 || text.charAt(Id128.HEX_CHARS) != '/') {
            throw IdText.invalid(FIELD, text, EXPECTED);
        }
        long[] tenant = Id128.parseAt(text, 0, FIELD, EXPECTED);
        long[] timeline = Id128.parseAt(text, Id128.HEX_CHARS + 1, FIELD, EXPECTED);
        return new TenantTimelineId(new TenantId(tenant[0], tenant[1]), new TimelineId(timeline[0], timeline[1]));
    }

    public static TenantTimelineId fromProto(io.xenondb.proto.broker.TenantTimelineId proto) {
        return new TenantTimelineId(
                TenantId.fromByteString(proto.getTenantId()), TimelineId.fromByteString(proto.getTimelineId()));
    }

    public static TenantTimelineId fromProto(io.xenondb.proto.wal.TenantTimelineId proto) {
        return new TenantTimelineId(
                TenantId.fromByteString(proto.getTenantId()), TimelineId.fromByteString(proto.getTimelineId()));
    }

    public io.xenondb.proto.broker.TenantTimelineId toBrokerProto() {
        return io.xenondb.proto.broker.TenantTimelineId.newBuilder()
                .setTenantId(tenantId.toByteString())
                .setTimelineId(timelineId.toByteString())
                .build();
    }

    public io.xenondb.proto.wal.TenantTimelineId toWalProto() {
        return io.xenondb.proto.wal.TenantTimelineId.newBuilder()
                .setTenantId(tenantId.toByteString())
                .setTimelineId(timelineId.toByteString())
                .build();
    }

    @Override
    public String toString() {
        return tenantId + "/" + timelineId;
    }

    @Override
    public int compareTo(TenantTimelineId other) {
        int byTenant = tenantId.compareTo(other.tenantId);
        return byTenant != 0 ? byTenant : timelineId.compareTo(other.timelineId);
    }
}
