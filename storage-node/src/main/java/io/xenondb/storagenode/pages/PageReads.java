package io.xenondb.storagenode.pages;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.tenant.Tenant;
import io.xenondb.storagenode.tenant.TenantManager;
import io.xenondb.storagenode.timeline.Timeline;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The reads of the page service, with Neon's LSN semantics: {@code request_lsn} is the snapshot wanted and
 * must be non-zero and at least {@code not_modified_since}; when {@code not_modified_since} is beyond the WAL
 * ingested the read waits for it and is served there, else at {@code min(last_record_lsn, request_lsn)}; below the
 * oldest readable LSN it is refused (FAILED_PRECONDITION). A non-zero {@code not_modified_since} is the caller's
 * promise that what it reads did not change after it, so a snapshot already made at an LSN between the two
 * serves the read too.
 */
public final class PageReads {
    private final TenantManager tenants;
    private final SnapshotCache snapshots;
    private final Clock clock;

    public PageReads(TenantManager tenants, SnapshotCache snapshots, Clock clock) {
        this.tenants = tenants;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** The LSN a read is served at, and the oldest LSN whose snapshot serves it as well. */
    record ReadPoint(Lsn lsn, Lsn oldestUsable) {}

    /** The pages {@code blocks} of {@code rel}, in order; NOT_FOUND if the relation or a block does not exist. */
    public List<byte[]> pages(TenantShardId tenant, TimelineId timeline, ReadAt at, RelTag rel, List<Long> blocks) {
        if (blocks.isEmpty()) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "block_number: none (expected: at least one block number)");
        }
        Function<Timeline, Function<Lsn, Optional<Lsn>>> unchanged = t -> lsn -> t.changes()
                .pagesUnchangedSince(rel.spcOid(), rel.dbOid(), rel.relNumber(), rel.forkNumber(), blocks, lsn);
        return read(tenant, timeline, at, unchanged, snapshot -> {
            if (snapshot.relBlocks(rel).isEmpty()) {
                throw new XenonException(
                        ErrorCode.NOT_FOUND, "relation " + rel + " does not exist at " + snapshot.lsn());
            }
            List<byte[]> pages = new ArrayList<>(blocks.size());
            for (long blkno : blocks) {
                pages.add(snapshot.page(rel, blkno)
                        .orElseThrow(() -> new XenonException(
                                ErrorCode.NOT_FOUND,
                                "block " + blkno + " of relation " + rel + " is beyond its end ("
                                        + snapshot.relBlocks(rel).orElse(0) + " blocks) at " + snapshot.lsn())));
            }
            return pages;
        });
    }

    /** The size of {@code rel} in blocks, or empty if it does not exist. */
    public OptionalLong relBlocks(TenantShardId tenant, TimelineId timeline, ReadAt at, RelTag rel) {
        Function<Timeline, Function<Lsn, Optional<Lsn>>> unchanged =
                t -> lsn -> t.changes().relationUnchangedSince(rel.spcOid(), rel.dbOid(), rel.relNumber(), lsn);
        return read(tenant, timeline, at, unchanged, snapshot -> snapshot.relBlocks(rel));
    }

    /** The bytes of database {@code dbOid} as {@code pg_database_size} counts them; NOT_FOUND if absent. */
    public long dbSize(TenantShardId tenant, TimelineId timeline, ReadAt at, long dbOid) {
        return read(
                tenant,
                timeline,
                at,
                snapshot -> snapshot.dbSize(dbOid)
                        .orElseThrow(() -> new XenonException(
                                ErrorCode.NOT_FOUND, "database " + dbOid + " does not exist at " + snapshot.lsn())));
    }

    /** The SLRU segment file {@code segno} of {@code kind}; NOT_FOUND if absent. */
    public byte[] slruSegment(TenantShardId tenant, TimelineId timeline, ReadAt at, SlruKind kind, long segno) {
        return read(
                tenant,
                timeline,
                at,
                snapshot -> snapshot.slruSegment(kind, segno)
                        .orElseThrow(() -> new XenonException(
                                ErrorCode.NOT_FOUND,
                                "SLRU segment " + kind.segmentPath(segno) + " does not exist at " + snapshot.lsn())));
    }

    /**
     * Takes or renews a lease of {@code lsn} on the timeline for the tenant's {@code lsn_lease_length}; returns
     * its expiry. FAILED_PRECONDITION if the LSN is below the oldest readable LSN (already garbage-collected).
     */
    public Instant leaseLsn(TenantShardId tenantId, TimelineId timelineId, Lsn lsn) {
        if (!lsn.isValid()) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "lsn: 0/0 (expected: a non-zero lsn)");
        }
        Tenant tenant = tenants.tenant(tenantId);
        Timeline timeline = tenant.timeline(timelineId);
        Lsn floor = Tenant.oldestBranchPoint(timeline);
        if (lsn.isBefore(floor)) {
            throw new XenonException(
                    ErrorCode.LSN_NOT_AVAILABLE,
                    "lsn " + lsn + " of timeline " + timelineId + " is below its GC cutoff / oldest readable lsn "
                            + floor);
        }
        Instant expires = clock.instant().plus(tenant.location().tenantConf().lsnLeaseLengthOrDefault());
        return tenant.leases().lease(timelineId, lsn, expires);
    }

    private <T> T read(TenantShardId tenantId, TimelineId timelineId, ReadAt at, Function<PageSnapshot, T> reader) {
        return read(tenantId, timelineId, at, t -> lsn -> Optional.empty(), reader);
    }

    /**
     * A read at the resolved LSN L, from a cached snapshot at any LSN down to the oldest the caller's
     * not_modified_since or the timeline's change index ({@code unchanged}: since when what is read did not
     * change) allows: a snapshot at S serves L when nothing read changed in (S, L].
     */
    private <T> T read(
            TenantShardId tenantId,
            TimelineId timelineId,
            ReadAt at,
            Function<Timeline, Function<Lsn, Optional<Lsn>>> unchanged,
            Function<PageSnapshot, T> reader) {
        Tenant tenant = tenants.tenant(tenantId);
        Timeline timeline = tenant.timeline(timelineId);
        ReadPoint point = resolve(timeline, at);
        Lsn oldest = point.oldestUsable();
        Optional<Lsn> since = unchanged.apply(timeline).apply(point.lsn());
        if (since.isPresent() && since.get().isBefore(oldest)) {
            oldest = since.get();
        }
        return snapshots.read(tenant, timeline, oldest, point.lsn(), reader);
    }

    ReadPoint resolve(Timeline timeline, ReadAt at) {
        Lsn request = at.requestLsn();
        Lsn notModifiedSince = at.notModifiedSince();
        if (!request.isValid()) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "read_lsn.request_lsn: 0/0 (expected: a non-zero lsn)");
        }
        if (request.isBefore(notModifiedSince)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "read_lsn: request_lsn " + request + " is below not_modified_since_lsn " + notModifiedSince
                            + " (expected: request_lsn >= not_modified_since_lsn)");
        }
        Lsn last = timeline.lastRecordLsn();
        Lsn target = notModifiedSince.isAfter(last) ? notModifiedSince : Lsn.min(last, request);
        Lsn lsn = tenants.readLsn(timeline, target); // waits for WAL beyond the tip; snaps to a record boundary
        Lsn oldestUsable = notModifiedSince.isValid() ? Lsn.min(notModifiedSince, lsn) : lsn;
        return new ReadPoint(lsn, oldestUsable);
    }

    /** A read's {@code read_lsn}: the snapshot wanted and the caller's not-modified-since promise (0 = none). */
    public record ReadAt(Lsn requestLsn, Lsn notModifiedSince) {
        public ReadAt {
            if (requestLsn == null || notModifiedSince == null) {
                throw new XenonException(ErrorCode.INVALID_ARGUMENT, "read_lsn: missing (expected: request_lsn)");
            }
        }

        /** An exact read at {@code lsn} (no promise). */
        public static ReadAt exactly(Lsn lsn) {
            return new ReadAt(lsn, Lsn.INVALID);
        }
    }
}
