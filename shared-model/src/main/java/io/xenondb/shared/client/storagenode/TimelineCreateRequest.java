package io.xenondb.shared.client.storagenode;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.Optional;

/**
 * {@code POST /v1/tenant/{tenant_shard_id}/timeline} (Neon's {@code TimelineCreateRequest}): a new timeline,
 * either a branch ({@code ancestor_timeline_id}, optional {@code ancestor_start_lsn} and {@code read_only}) or
 * bootstrapped by initdb (optional {@code pg_version}). Neon's {@code existing_initdb_timeline_id} and
 * {@code import_pgdata} modes are refused as not supported.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record TimelineCreateRequest(
        @JsonProperty("new_timeline_id") TimelineId newTimelineId,
        @JsonProperty("ancestor_timeline_id") TimelineId ancestorTimelineId,
        @JsonProperty("ancestor_start_lsn") Lsn ancestorStartLsn,
        @JsonProperty("read_only") Boolean readOnly,
        @JsonProperty("pg_version") Integer pgVersion,
        @JsonProperty("existing_initdb_timeline_id") TimelineId existingInitdbTimelineId,
        @JsonProperty("import_pgdata") Object importPgdata) {
    /** PostgreSQL major versions a timeline may be bootstrapped with. */
    public static final int SUPPORTED_PG_VERSION = 17;

    public TimelineCreateRequest {
        if (newTimelineId == null) {
            throw invalid("new_timeline_id: missing (expected: 32 hex chars)");
        }
        if (existingInitdbTimelineId != null) {
            throw invalid("existing_initdb_timeline_id: not supported (bootstrap runs initdb)");
        }
        if (importPgdata != null) {
            throw invalid("import_pgdata: not supported");
        }
        if (ancestorTimelineId == null && (ancestorStartLsn != null || readOnly != null)) {
            throw invalid("ancestor_start_lsn and read_only need ancestor_timeline_id");
        }
        if (ancestorTimelineId != null && pgVersion != null && pgVersion != SUPPORTED_PG_VERSION) {
            throw invalid("pg_version: " + pgVersion + " (a branch has its ancestor's version, " + SUPPORTED_PG_VERSION
                    + ")");
        }
        if (ancestorTimelineId == null && pgVersion != null && pgVersion != SUPPORTED_PG_VERSION) {
            throw invalid("pg_version: " + pgVersion + " (expected: " + SUPPORTED_PG_VERSION + ")");
        }
        if (ancestorStartLsn != null && !ancestorStartLsn.isValid()) {
            throw invalid("ancestor_start_lsn: " + ancestorStartLsn + " (expected: a valid LSN above 0/0)");
        }
    }

    /** A timeline bootstrapped by initdb. */
    public static TimelineCreateRequest bootstrap(TimelineId id) {
        return new TimelineCreateRequest(id, null, null, null, SUPPORTED_PG_VERSION, null, null);
    }

    /** A branch of {@code ancestor}, at {@code lsn} or (empty) at its tip. */
    public static TimelineCreateRequest branch(TimelineId id, TimelineId ancestor, Optional<Lsn> lsn) {
        return new TimelineCreateRequest(id, ancestor, lsn.orElse(null), null, null, null, null);
    }

    @JsonIgnore
    public boolean isBranch() {
        return ancestorTimelineId != null;
    }

    public boolean readOnlyOrDefault() {
        return readOnly != null && readOnly;
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
