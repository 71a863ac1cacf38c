package io.xenondb.shared.wal.view;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.RelFileLocator;

/**
 * A Storage TRUNCATE record (xl_smgr_truncate): the relation is cut to {@code blockNumber} blocks in the forks
 * that {@code flags} names.
 */
public record SmgrTruncateRecord(Lsn lsn, RelFileLocator rel, long blockNumber, int flags) implements WalRecordView {
    static final int INFO = 0x20;

    public static final int TRUNCATE_HEAP = 0x0001;
    public static final int TRUNCATE_VM = 0x0002;
    public static final int TRUNCATE_FSM = 0x0004;

    static SmgrTruncateRecord parse(DecodedRecord record) {
        MainDataReader r = new MainDataReader(record, "smgr truncate");
        long blockNumber = r.u32("blkno");
        RelFileLocator rel = r.rel("rlocator");
        int flags = r.i32("flags");
        return new SmgrTruncateRecord(record.lsn(), rel, blockNumber, flags);
    }

    public boolean truncatesMain() {
        return (flags & TRUNCATE_HEAP) != 0;
    }

    public boolean truncatesVisibilityMap() {
        return (flags & TRUNCATE_VM) != 0;
    }

    public boolean truncatesFsm() {
        return (flags & TRUNCATE_FSM) != 0;
    }
}
