package io.xenondb.shared.wal.view;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.record.DecodedRecord;

/**
 * A Database CREATE_FILE_COPY or CREATE_WAL_LOG record. With {@link Strategy#FILE_COPY} the new database's
 * directory is a copy of the source's; with {@link Strategy#WAL_LOG} the directory is created empty and its
 * contents follow as ordinary WAL records (the source OIDs are then 0).
 */
public record DbaseCreateRecord(
        Lsn lsn, Strategy strategy, long dbOid, long tablespaceOid, long srcDbOid, long srcTablespaceOid)
        implements WalRecordView {
    static final int INFO_FILE_COPY = 0x00;
    static final int INFO_WAL_LOG = 0x10;

    /** How CREATE DATABASE populated the new database. */
    public enum Strategy {
        FILE_COPY,
        WAL_LOG
    }

    static DbaseCreateRecord parse(DecodedRecord record) {
        MainDataReader r = new MainDataReader(record, "dbase create");
        long dbOid = r.u32("db_id");
        long tablespaceOid = r.u32("tablespace_id");
        if (record.rmgrInfo() == INFO_WAL_LOG) {
            return new DbaseCreateRecord(record.lsn(), Strategy.WAL_LOG, dbOid, tablespaceOid, 0, 0);
        }
        long srcDbOid = r.u32("src_db_id");
        long srcTablespaceOid = r.u32("src_tablespace_id");
        return new DbaseCreateRecord(
                record.lsn(), Strategy.FILE_COPY, dbOid, tablespaceOid, srcDbOid, srcTablespaceOid);
    }
}
