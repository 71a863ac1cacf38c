package io.xenondb.shared.wal.view;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.util.ArrayList;
import java.util.List;

/** A Database DROP record (xl_dbase_drop_rec): the database's directories in these tablespaces are removed. */
public record DbaseDropRecord(Lsn lsn, long dbOid, List<Long> tablespaceOids) implements WalRecordView {
    static final int INFO = 0x20;

    public DbaseDropRecord {
        tablespaceOids = List.copyOf(tablespaceOids);
    }

    static DbaseDropRecord parse(DecodedRecord record) {
        MainDataReader r = new MainDataReader(record, "dbase drop");
        long dbOid = r.u32("db_id");
        int n = r.count("ntablespaces", 4);
        List<Long> tablespaces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tablespaces.add(r.u32("tablespace_ids"));
        }
        return new DbaseDropRecord(record.lsn(), dbOid, tablespaces);
    }
}
