package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;

/**
 * {@code POST /v1/tenant/timeline}: creates a timeline on a WAL node whose WAL starts at {@code start_lsn}
 * (Neon's TimelineCreateRequest). Optional fields may be null: {@code mconf} (not used by Xenon yet),
 * {@code system_id} (learnt from the first proposer), {@code wal_seg_size} (16 MiB), {@code commit_lsn} (Xenon
 * accepts only the start LSN).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineCreateRequest(
        @JsonProperty("tenant_id") TenantId tenantId,
        @JsonProperty("timeline_id") TimelineId timelineId,
        @JsonProperty("mconf") MembershipConfiguration mconf,
        @JsonProperty("pg_version") Integer pgVersion,
        @JsonProperty("system_id") Long systemId,
        @JsonProperty("wal_seg_size") Integer walSegSize,
        @JsonProperty("start_lsn") Lsn startLsn,
        @JsonProperty("commit_lsn") Lsn commitLsn) {
    /** PostgreSQL's default and Xenon's only WAL segment size. */
    public static final int DEFAULT_WAL_SEG_SIZE = 16 * 1024 * 1024;

    public TimelineCreateRequest {
        require(tenantId, "tenant_id", "32 hex chars");
        require(timelineId, "timeline_id", "32 hex chars");
        require(pgVersion, "pg_version", "a server_version_num such as 170005");
        require(startLsn, "start_lsn", "X/X hex, where the timeline's WAL starts");
        if (pgVersion < 140_000 || pgVersion >= 200_000) {
            throw invalid("pg_version: " + pgVersion + " (expected: a server_version_num of PostgreSQL 14..19, e.g."
                    + " 170005)");
        }
        if (!startLsn.isValid()) {
            throw invalid("start_lsn: " + startLsn + " (expected: a valid lsn above 0/0)");
        }
        if (walSegSize != null && (Integer.bitCount(walSegSize) != 1 || walSegSize < 1 << 20 || walSegSize > 1 << 30)) {
            throw invalid("wal_seg_size: " + walSegSize + " (expected: a power of two from 1 MiB to 1 GiB)");
        }
        if (commitLsn != null && !commitLsn.equals(startLsn)) {
            throw invalid("commit_lsn: " + commitLsn + " (expected: absent or equal to start_lsn " + startLsn
                    + "; a timeline cannot be created with WAL committed beyond its start)");
        }
    }

    /** A request with only the required fields. */
    public static TimelineCreateRequest of(TenantTimelineId timeline, int pgVersion, Lsn startLsn) {
        return new TimelineCreateRequest(
                timeline.tenantId(), timeline.timelineId(), null, pgVersion, null, null, startLsn, null);
    }

    public TenantTimelineId timeline() {
        return new TenantTimelineId(tenantId, timelineId);
    }

    public int walSegSizeOrDefault() {
        return walSegSize == null ? DEFAULT_WAL_SEG_SIZE : walSegSize;
    }

    public long systemIdOrUnknown() {
        return systemId == null ? 0 : systemId;
    }

    private static void require(Object value, String field, String expected) {
        if (value == null) {
            throw invalid(field + ": missing (expected: " + expected + ")");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
