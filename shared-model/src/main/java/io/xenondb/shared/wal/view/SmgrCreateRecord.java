package io.xenondb.shared.wal.view;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.ForkNumber;
import io.xenondb.shared.wal.record.RelFileLocator;

/** A Storage CREATE record: a relation fork's file was created (xl_smgr_create). */
public record SmgrCreateRecord(Lsn lsn, RelFileLocator rel, ForkNumber fork) implements WalRecordView {
    static final int INFO = 0x10;

    static SmgrCreateRecord parse(DecodedRecord record) {
        MainDataReader r = new MainDataReader(record, "smgr create");
        RelFileLocator rel = r.rel("rlocator");
        int forkId = r.i32("forkNum");
        ForkNumber fork = ForkNumber.ofId(forkId)
                .orElseThrow(() -> r.error("invalid fork number " + forkId + " (expected: 0..3)"));
        return new SmgrCreateRecord(record.lsn(), rel, fork);
    }
}
