package io.xenondb.shared.wal.view;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.time.Instant;

/**
 * An XLOG CHECKPOINT_SHUTDOWN or CHECKPOINT_ONLINE record: PostgreSQL 17's CheckPoint struct (pg_control.h).
 *
 * @param nextXid the next full transaction id (epoch in the high 32 bits)
 */
public record CheckpointRecord(
        Lsn lsn,
        boolean shutdown,
        Lsn redo,
        long timeline,
        long prevTimeline,
        boolean fullPageWrites,
        int walLevel,
        long nextXid,
        long nextOid,
        long nextMulti,
        long nextMultiOffset,
        long oldestXid,
        long oldestXidDb,
        long oldestMulti,
        long oldestMultiDb,
        Instant time,
        long oldestCommitTsXid,
        long newestCommitTsXid,
        long oldestActiveXid)
        implements WalRecordView {
    static final int SHUTDOWN = 0x00;
    static final int ONLINE = 0x10;

    /** sizeof(CheckPoint) in PostgreSQL 17 on 64-bit platforms. */
    static final int SIZE = 88;

    static CheckpointRecord parse(DecodedRecord record) {
        MainDataReader r = new MainDataReader(record, "checkpoint");
        r.need(SIZE, "CheckPoint");
        Lsn redo = Lsn.of(r.i64("redo"));
        long timeline = r.u32("ThisTimeLineID");
        long prevTimeline = r.u32("PrevTimeLineID");
        boolean fullPageWrites = r.u8("fullPageWrites") != 0;
        r.skip(3, "padding");
        int walLevel = r.i32("wal_level");
        long nextXid = r.i64("nextXid");
        long nextOid = r.u32("nextOid");
        long nextMulti = r.u32("nextMulti");
        long nextMultiOffset = r.u32("nextMultiOffset");
        long oldestXid = r.u32("oldestXid");
        long oldestXidDb = r.u32("oldestXidDB");
        long oldestMulti = r.u32("oldestMulti");
        long oldestMultiDb = r.u32("oldestMultiDB");
        r.skip(4, "padding");
        Instant time = r.pgTime("time");
        long oldestCommitTsXid = r.u32("oldestCommitTsXid");
        long newestCommitTsXid = r.u32("newestCommitTsXid");
        long oldestActiveXid = r.u32("oldestActiveXid");
        return new CheckpointRecord(
                record.lsn(),
                record.rmgrInfo() == SHUTDOWN,
                redo,
                timeline,
                prevTimeline,
                fullPageWrites,
                walLevel,
                nextXid,
                nextOid,
                nextMulti,
                nextMultiOffset,
                oldestXid,
                oldestXidDb,
                oldestMulti,
                oldestMultiDb,
                time,
                oldestCommitTsXid,
                newestCommitTsXid,
                oldestActiveXid);
    }

    /** The epoch half of {@link #nextXid()}. */
    public long nextXidEpoch() {
        return nextXid >>> 32;
    }

    /** The 32-bit xid half of {@link #nextXid()}. */
    public long nextXid32() {
        return nextXid & 0xFFFF_FFFFL;
    }
}
