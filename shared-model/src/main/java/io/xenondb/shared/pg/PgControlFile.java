package io.xenondb.shared.pg;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The fields of PostgreSQL 17's {@code global/pg_control} (ControlFileData, x86-64 layout) that the replay
 * worker needs: where recovery starts, and the settings a hot standby must at least match.
 *
 * @param checkpoint the latest checkpoint record's LSN
 * @param redo that checkpoint's redo point (where replay starts without a backup_label)
 */
public record PgControlFile(
        long pgControlVersion,
        int state,
        Lsn checkpoint,
        Lsn redo,
        long timeline,
        Lsn minRecoveryPoint,
        int walLevel,
        int maxConnections,
        int maxWorkerProcesses,
        int maxWalSenders,
        int maxPreparedXacts,
        int maxLocksPerXact) {
    /** PG_CONTROL_VERSION of PostgreSQL 17. */
    public static final long VERSION_17 = 1700;

    private static final int CRC_OFFSET = 288;

    /** Parses the file's bytes; checks its version and CRC. */
    public static PgControlFile parse(byte[] bytes) {
        if (bytes == null || bytes.length < CRC_OFFSET + 4) {
            throw corrupt(
                    "" + (bytes == null ? 0 : bytes.length) + " bytes (expected: at least " + (CRC_OFFSET + 4) + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long version = Integer.toUnsignedLong(b.getInt(8));
        if (version != VERSION_17) {
            throw corrupt("pg_control_version " + version + " (expected: " + VERSION_17 + ", PostgreSQL 17)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_OFFSET);
        long stored = Integer.toUnsignedLong(b.getInt(CRC_OFFSET));
        if (crc.getValue() != stored) {
            throw corrupt("crc " + Long.toHexString(stored) + " (computed: " + Long.toHexString(crc.getValue()) + ")");
        }
        return new PgControlFile(
                version,
                b.getInt(16),
                Lsn.of(b.getLong(32)),
                Lsn.of(b.getLong(40)), // checkPointCopy.redo
                Integer.toUnsignedLong(b.getInt(48)), // checkPointCopy.ThisTimeLineID
                Lsn.of(b.getLong(136)),
                b.getInt(172),
                b.getInt(180),
                b.getInt(184),
                b.getInt(188),
                b.getInt(192),
                b.getInt(196));
    }

    private static XenonException corrupt(String what) {
        return new XenonException(ErrorCode.IMAGE_CORRUPT, "pg_control: " + what);
    }
}
