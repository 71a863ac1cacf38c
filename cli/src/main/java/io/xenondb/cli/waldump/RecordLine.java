package io.xenondb.cli.waldump;

import io.xenondb.shared.wal.record.BlockReference;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.ForkNumber;
import io.xenondb.shared.wal.record.FullPageImage;
import io.xenondb.shared.wal.record.ImageCompression;

/**
 * One output line per record, in pg_waldump's layout but with LSNs in Xenon's {@code X/X} form and the record
 * type as the description, e.g. {@code rmgr: Heap        len (rec/tot):     54/    54, tx:        734, lsn:
 * 0/1A0B2D0, prev 0/1A0B298, desc: INSERT, blkref #0: rel 1663/5/16384 blk 0 FPW}.
 */
final class RecordLine {
    private RecordLine() {}

    static String format(DecodedRecord r) {
        StringBuilder line = new StringBuilder(160);
        line.append(String.format(
                "rmgr: %-11s len (rec/tot): %6d/%6d, tx: %10d, lsn: %s, prev %s, desc: %s",
                r.rmgrName(),
                r.totalLength() - r.fpiLength(),
                r.totalLength(),
                r.xid(),
                r.lsn(),
                r.prevLsn(),
                r.recordType()));
        for (BlockReference b : r.blocks()) {
            line.append(", blkref #").append(b.blockId()).append(": rel ").append(b.rel());
            if (b.fork() != ForkNumber.MAIN) {
                line.append(" fork ").append(b.fork().pgName());
            }
            line.append(" blk ").append(b.blockNumber());
            if (b.hasImage()) {
                FullPageImage image = b.image().orElseThrow();
                line.append(image.apply() ? " FPW" : " FPW for WAL verification");
                if (image.compression() != ImageCompression.NONE) {
                    line.append(" (")
                            .append(image.compression().name().toLowerCase())
                            .append(')');
                }
            }
        }
        return line.toString();
    }
}
