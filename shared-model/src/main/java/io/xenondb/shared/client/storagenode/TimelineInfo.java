package io.xenondb.shared.client.storagenode;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;

/**
 * A timeline on a storage node (Neon's {@code TimelineInfo}).
 *
 * @param lastRecordLsn end of the last WAL record ingested (the tip)
 * @param diskConsistentLsn all WAL below is in local files
 * @param remoteConsistentLsn all WAL below is in object storage (in an uploaded index)
 * @param appliedGcCutoffLsn reads and branches below are refused
 * @param minReadableLsn the oldest LSN usable for reads and branches
 * @param currentLogicalSize sum of the relation sizes at the tip, in bytes (of the newest image when not exact)
 * @param currentPhysicalSize bytes the timeline's own files take locally
 * @param state {@code Loading}, {@code Active}, {@code Stopping} or {@code Broken}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TimelineInfo(
        @JsonProperty("tenant_id") TenantId tenantId,
        @JsonProperty("timeline_id") TimelineId timelineId,
        @JsonProperty("ancestor_timeline_id") TimelineId ancestorTimelineId,
        @JsonProperty("ancestor_lsn") Lsn ancestorLsn,
        @JsonProperty("last_record_lsn") Lsn lastRecordLsn,
        @JsonProperty("prev_record_lsn") Lsn prevRecordLsn,
        @JsonProperty("disk_consistent_lsn") Lsn diskConsistentLsn,
        @JsonProperty("remote_consistent_lsn") Lsn remoteConsistentLsn,
        @JsonProperty("remote_consistent_lsn_visible") Lsn remoteConsistentLsnVisible,
        @JsonProperty("initdb_lsn") Lsn initdbLsn,
        @JsonProperty("applied_gc_cutoff_lsn") Lsn appliedGcCutoffLsn,
        @JsonProperty("min_readable_lsn") Lsn minReadableLsn,
        @JsonProperty("current_logical_size") long currentLogicalSize,
        @JsonProperty("current_logical_size_is_accurate") boolean currentLogicalSizeIsAccurate,
        @JsonProperty("current_physical_size") long currentPhysicalSize,
        @JsonProperty("pg_version") int pgVersion,
        @JsonProperty("state") String state,
        @JsonProperty("walreceiver_status") String walreceiverStatus,
        @JsonProperty("last_received_msg_lsn") Lsn lastReceivedMsgLsn,
        @JsonProperty("is_archived") boolean isArchived,
        @JsonProperty("read_only") boolean readOnly) {}
