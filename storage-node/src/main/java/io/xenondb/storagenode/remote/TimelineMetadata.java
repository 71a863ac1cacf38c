package io.xenondb.storagenode.remote;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;

/**
 * The {@code metadata} of an index: where the timeline stands and where it branched from (Neon's
 * {@code TimelineMetadata}). {@code prevRecordLsn} and {@code ancestorTimeline} may be null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TimelineMetadata(
        @JsonProperty("disk_consistent_lsn") Lsn diskConsistentLsn,
        @JsonProperty("prev_record_lsn") Lsn prevRecordLsn,
        @JsonProperty("ancestor_timeline") TimelineId ancestorTimeline,
        @JsonProperty("ancestor_lsn") Lsn ancestorLsn,
        @JsonProperty("latest_gc_cutoff_lsn") Lsn latestGcCutoffLsn,
        @JsonProperty("initdb_lsn") Lsn initdbLsn,
        @JsonProperty("pg_version") int pgVersion) {

    public TimelineMetadata {
        Objects.requireNonNull(diskConsistentLsn, "disk_consistent_lsn");
        ancestorLsn = ancestorLsn == null ? Lsn.INVALID : ancestorLsn;
        Objects.requireNonNull(latestGcCutoffLsn, "latest_gc_cutoff_lsn");
        Objects.requireNonNull(initdbLsn, "initdb_lsn");
    }

    /** A copy that has reached {@code lsn}. */
    public TimelineMetadata withDiskConsistentLsn(Lsn lsn, Lsn prevRecord) {
        return new TimelineMetadata(
                lsn, prevRecord, ancestorTimeline, ancestorLsn, latestGcCutoffLsn, initdbLsn, pgVersion);
    }
}
