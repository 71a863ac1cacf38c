package io.xenondb.shared.wal.view;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.RelFileLocator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Transaction COMMIT, ABORT, COMMIT_PREPARED or ABORT_PREPARED record (xl_xact_commit / xl_xact_abort and
 * the optional parts its xinfo flags announce).
 *
 * @param xid the record's xid; for a prepared transaction see {@link #twophaseXid()}
 * @param time commit or abort time: the commit timestamp
 * @param dbOid database of the transaction, 0 if the record carries none
 * @param droppedRels relation files the transaction drops (on commit) or the created ones it removes (abort)
 * @param twophaseXid the prepared transaction's xid, 0 if not a prepared transaction
 */
public record XactRecord(
        Lsn lsn,
        Kind kind,
        long xid,
        Instant time,
        int xinfo,
        long dbOid,
        long tablespaceOid,
        List<Long> subxacts,
        List<RelFileLocator> droppedRels,
        int droppedStatsCount,
        int invalidationCount,
        long twophaseXid,
        Optional<String> gid,
        Optional<Lsn> originLsn,
        Optional<Instant> originTime)
        implements WalRecordView {
    /** XACT_XINFO_* flags (xact.h). */
    static final int HAS_DBINFO = 1;

    static final int HAS_SUBXACTS = 1 << 1;
    static final int HAS_RELFILELOCATORS = 1 << 2;
    static final int HAS_INVALS = 1 << 3;
    static final int HAS_TWOPHASE = 1 << 4;
    static final int HAS_ORIGIN = 1 << 5;
    static final int HAS_GID = 1 << 7;
    static final int HAS_DROPPED_STATS = 1 << 8;

    /** XLOG_XACT_HAS_INFO: an xinfo word follows the timestamp. */
    static final int XACT_HAS_INFO = 0x80;

    /** sizeof(xl_xact_stats_item) in PostgreSQL 17: kind, dboid, objoid. */
    static final int STATS_ITEM_SIZE = 12;

    /** sizeof(SharedInvalidationMessage). */
    static final int INVALIDATION_SIZE = 16;

    /** Which end of a transaction the record marks. */
    public enum Kind {
        COMMIT,
        ABORT,
        COMMIT_PREPARED,
        ABORT_PREPARED;

        /** The kind for a Transaction record's xl_info, or empty for other Transaction record types. */
        static Optional<Kind> of(int info) {
            return switch (info & 0x70) {
                case 0x00 -> Optional.of(COMMIT);
                case 0x20 -> Optional.of(ABORT);
                case 0x30 -> Optional.of(COMMIT_PREPARED);
                case 0x40 -> Optional.of(ABORT_PREPARED);
                default -> Optional.empty();
            };
        }

        public boolean isCommit() {
            return this == COMMIT || this == COMMIT_PREPARED;
        }
    }

    public XactRecord {
        subxacts = List.copyOf(subxacts);
        droppedRels = List.copyOf(droppedRels);
    }

    static XactRecord parse(DecodedRecord record, Kind kind) {
        MainDataReader r = new MainDataReader(record, "xact " + kind.name().toLowerCase());
        Instant time = r.timestampTz("xact_time");
        int xinfo = (record.info() & XACT_HAS_INFO) != 0 ? r.i32("xinfo") : 0;
        long dbOid = 0;
        long tablespaceOid = 0;
        if ((xinfo & HAS_DBINFO) != 0) {
            dbOid = r.u32("dbId");
            tablespaceOid = r.u32("tsId");
        }
        List<Long> subxacts = new ArrayList<>();
        if ((xinfo & HAS_SUBXACTS) != 0) {
            int n = r.count("nsubxacts", 4);
            for (int i = 0; i < n; i++) {
                subxacts.add(r.u32("subxacts"));
            }
        }
        List<RelFileLocator> rels = new ArrayList<>();
        if ((xinfo & HAS_RELFILELOCATORS) != 0) {
            int n = r.count("nrels", 12);
            for (int i = 0; i < n; i++) {
                rels.add(r.rel("xlocators"));
            }
        }
        int stats = 0;
        if ((xinfo & HAS_DROPPED_STATS) != 0) {
            stats = r.count("nitems", STATS_ITEM_SIZE);
            r.skip((long) stats * STATS_ITEM_SIZE, "stats items");
        }
        int invals = 0;
        if (kind.isCommit() && (xinfo & HAS_INVALS) != 0) {
            invals = r.count("nmsgs", INVALIDATION_SIZE);
            r.skip((long) invals * INVALIDATION_SIZE, "invalidation messages");
        }
        long twophaseXid = 0;
        Optional<String> gid = Optional.empty();
        if ((xinfo & HAS_TWOPHASE) != 0) {
            twophaseXid = r.u32("twophase xid");
            if ((xinfo & HAS_GID) != 0) {
                gid = Optional.of(r.cstring("gid"));
            }
        }
        Optional<Lsn> originLsn = Optional.empty();
        Optional<Instant> originTime = Optional.empty();
        if ((xinfo & HAS_ORIGIN) != 0) {
            originLsn = Optional.of(Lsn.of(r.i64("origin_lsn")));
            originTime = Optional.of(r.timestampTz("origin_timestamp"));
        }
        return new XactRecord(
                record.lsn(),
                kind,
                record.xid(),
                time,
                xinfo,
                dbOid,
                tablespaceOid,
                subxacts,
                rels,
                stats,
                invals,
                twophaseXid,
                gid,
                originLsn,
                originTime);
    }

    /** The transaction the record ends: the prepared xid for two-phase records, else the record's xid. */
    public long effectiveXid() {
        return twophaseXid != 0 ? twophaseXid : xid;
    }
}
