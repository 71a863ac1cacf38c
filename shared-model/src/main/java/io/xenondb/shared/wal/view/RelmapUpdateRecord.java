package io.xenondb.shared.wal.view;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A RelMap UPDATE record (xl_relmap_update): the new contents of a database's (or the shared)
 * {@code pg_filenode.map}, with the mappings it holds parsed out.
 *
 * @param mapFile the file contents as written to disk
 */
public record RelmapUpdateRecord(Lsn lsn, long dbOid, long tablespaceOid, byte[] mapFile, List<Mapping> mappings)
        implements WalRecordView {
    static final int INFO = 0x00;

    /** RELMAPPER_FILEMAGIC. */
    static final int FILE_MAGIC = 0x592717;

    /** MAX_MAPPINGS in PostgreSQL 17. */
    static final int MAX_MAPPINGS = 64;

    /** One relation OID mapped to its current relfilenumber. */
    public record Mapping(long relationOid, long fileNumber) {}

    public RelmapUpdateRecord {
        mapFile = mapFile.clone();
        mappings = List.copyOf(mappings);
    }

    @Override
    public byte[] mapFile() {
        return mapFile.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelmapUpdateRecord other
                && lsn.equals(other.lsn)
                && dbOid == other.dbOid
                && tablespaceOid == other.tablespaceOid
                && Arrays.equals(mapFile, other.mapFile)
                && mappings.equals(other.mappings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lsn, dbOid, tablespaceOid, Arrays.hashCode(mapFile), mappings);
    }

    @Override
    public String toString() {
        return "RelmapUpdateRecord[lsn=" + lsn + ", dbOid=" + dbOid + ", tablespaceOid=" + tablespaceOid + ", mappings="
                + mappings + "]";
    }

    static RelmapUpdateRecord parse(DecodedRecord record) {
        MainDataReader r = new MainDataReader(record, "relmap update");
        long dbOid = r.u32("dbid");
        long tablespaceOid = r.u32("tsid");
        int nbytes = r.count("nbytes", 1);
        int fileStart = r.position();
        int magic = r.i32("magic");
        if (magic != FILE_MAGIC) {
            throw r.error(String.format("map file magic %X (expected %X)", magic, FILE_MAGIC));
        }
        int n = r.i32("num_mappings");
        if (n < 0 || n > MAX_MAPPINGS || 8 + 8L * n > nbytes) {
            throw r.error("num_mappings " + n + " (expected 0.." + MAX_MAPPINGS + " within " + nbytes + " bytes)");
        }
        List<Mapping> mappings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            mappings.add(new Mapping(r.u32("mapoid"), r.u32("mapfilenumber")));
        }
        byte[] all = record.mainData();
        byte[] file = Arrays.copyOfRange(all, fileStart, fileStart + nbytes);
        return new RelmapUpdateRecord(record.lsn(), dbOid, tablespaceOid, file, mappings);
    }
}
