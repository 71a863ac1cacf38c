package io.xenondb.storagenode.timeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the storage node persists about a timeline ({@code timeline.json}), in the spirit of Neon's
 * TimelineMetadata: its place in the branch tree, where its own WAL begins, and how far that WAL is durable.
 *
 * @param startLsn the first LSN of the timeline's own WAL: the branch point, or for a bootstrapped timeline
 *     the start of the segment initdb's WAL begins in
 * @param initdbLsn the end of initdb's WAL (for a branch, its root's)
 * @param diskConsistentLsn WAL below this is in the timeline's local files (always a record boundary)
 * @param gcCutoffLsn reads and branches below this are refused (the oldest readable LSN), unless leased
 * @param walStartLsn where the WAL held locally begins: {@code startLsn}, or higher once GC removed older WAL
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TimelineMetadata(
        @JsonProperty("timeline_id") TimelineId timelineId,
        @JsonProperty("ancestor_timeline_id") TimelineId ancestorTimelineId,
        @JsonProperty("ancestor_lsn") Lsn ancestorLsn,
        @JsonProperty("start_lsn") Lsn startLsn,
        @JsonProperty("initdb_lsn") Lsn initdbLsn,
        @JsonProperty("disk_consistent_lsn") Lsn diskConsistentLsn,
        @JsonProperty("gc_cutoff_lsn") Lsn gcCutoffLsn,
        @JsonProperty("pg_version") int pgVersion,
        @JsonProperty("read_only") boolean readOnly,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("wal_start_lsn") Lsn walStartLsn) {
    public TimelineMetadata {
        Objects.requireNonNull(timelineId, "timeline_id");
        Objects.requireNonNull(startLsn, "start_lsn");
        Objects.requireNonNull(initdbLsn, "initdb_lsn");
        Objects.requireNonNull(diskConsistentLsn, "disk_consistent_lsn");
        ancestorLsn = ancestorLsn == null ? Lsn.INVALID : ancestorLsn;
        gcCutoffLsn = gcCutoffLsn == null ? Lsn.INVALID : gcCutoffLsn;
        walStartLsn = walStartLsn == null ? startLsn : walStartLsn;
        if ((ancestorTimelineId == null) != !ancestorLsn.isValid()) {
            throw new IllegalArgumentException("ancestor_timeline_id and ancestor_lsn come together");
        }
    }

    /** A timeline bootstrapped by initdb, whose WAL (initdb's) begins at {@code startLsn}. */
    public static TimelineMetadata bootstrap(
            TimelineId id, Lsn startLsn, Lsn initdbLsn, int pgVersion, Instant createdAt) {
        return new TimelineMetadata(
                id,
                null,
                Lsn.INVALID,
                startLsn,
                initdbLsn,
                initdbLsn,
                Lsn.INVALID,
                pgVersion,
                false,
                createdAt,
                startLsn);
    }

    /** A branch of {@code ancestor} at {@code branchLsn} (a record boundary). */
    public static TimelineMetadata branch(
            TimelineId id, TimelineMetadata ancestor, Lsn branchLsn, boolean readOnly, Instant createdAt) {
        return new TimelineMetadata(
                id,
                ancestor.timelineId(),
                branchLsn,
                branchLsn,
                ancestor.initdbLsn(),
                branchLsn,
                Lsn.INVALID,
                ancestor.pgVersion(),
                readOnly,
                createdAt,
                branchLsn);
    }

    public Optional<TimelineId> ancestor() {
        return Optional.ofNullable(ancestorTimelineId);
    }

    public TimelineMetadata withDiskConsistentLsn(Lsn lsn) {
        return new TimelineMetadata(
                timelineId,
                ancestorTimelineId,
                ancestorLsn,
                startLsn,
                initdbLsn,
                lsn,
                gcCutoffLsn,
                pgVersion,
                readOnly,
                createdAt,
                walStartLsn);
    }

    public TimelineMetadata withGcCutoffLsn(Lsn lsn) {
        return new TimelineMetadata(
                timelineId,
                ancestorTimelineId,
                ancestorLsn,
                startLsn,
                initdbLsn,
                diskConsistentLsn,
                lsn,
                pgVersion,
                readOnly,
                createdAt,
                walStartLsn);
    }

    public TimelineMetadata withWalStartLsn(Lsn lsn) {
        return new TimelineMetadata(
                timelineId,
                ancestorTimelineId,
                ancestorLsn,
                startLsn,
                initdbLsn,
                diskConsistentLsn,
                gcCutoffLsn,
                pgVersion,
                readOnly,
                createdAt,
                lsn);
    }
}
