package io.xenondb.walnode.storage;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.walnode.consensus.storage.ControlState;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The framing of the control log: records of {@code u32 length, u32 CRC-32C, payload} (big-endian), the CRC
 * taken over the length field and the payload. Reading keeps the intact prefix: the first record that is
 * incomplete or fails its checksum ends it, as a torn append leaves the last record. A damaged record that is
 * followed by an intact one cannot be a torn append (appends are synced one by one): that is corruption.
 */
final class ControlLogFormat {
    static final int HEADER_SIZE = 8;

    /** Far above any real state (a few hundred bytes): a larger length is damage, not a record. */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024 + 1024;

    /** The intact prefix of a log: its last state (empty if none), how many records and how many bytes. */
    record Scan(Optional<ControlState> last, int records, long intactLength) {}

    private ControlLogFormat() {}

    static byte[] frame(byte[] payload) {
        ByteBuffer record = ByteBuffer.allocate(HEADER_SIZE + payload.length);
        record.putInt(payload.length)
                .putInt(crc(payload.length, payload, 0, payload.length))
                .put(payload);
        return record.array();
    }

    /**
     * Reads the records of {@code log}.
     *
     * @param file names the log in error messages
     * @throws XenonException {@code WAL_CORRUPT} for a damaged record followed by an intact one, or an intact
     *     record whose payload is not a valid state
     */
    static Scan scan(byte[] log, String file) {
        int offset = 0;
        int records = 0;
        ControlState last = null;
        while (intactAt(log, offset)) {
            int length = ByteBuffer.wrap(log, offset, 4).getInt();
            byte[] payload = Arrays.copyOfRange(log, offset + HEADER_SIZE, offset + HEADER_SIZE + length);
            last = ControlStateCodec.decode(payload, file + " at offset " + offset);
            records++;
            offset += HEADER_SIZE + length;
        }
        if (offset < log.length) {
            for (int later = offset + 1; later + HEADER_SIZE < log.length; later++) {
                if (intactAt(log, later)) {
                    throw new XenonException(
                            ErrorCode.WAL_CORRUPT,
                            "control log " + file + ": the record at offset " + offset + " is damaged but an intact"
                                    + " record follows at offset " + later + " (expected: damage only in the last"
                                    + " record, from a torn append)");
                }
            }
        }
        return new Scan(Optional.ofNullable(last), records, offset);
    }

    /** Whether a complete record with a matching checksum starts at {@code offset}. */
    private static boolean intactAt(byte[] log, int offset) {
        if (log.length - offset < HEADER_SIZE + 1) {
            return false;
        }
        ByteBuffer header = ByteBuffer.wrap(log, offset, HEADER_SIZE);
        int length = header.getInt();
        int checksum = header.getInt();
        if (length < 1 || length > MAX_PAYLOAD || length > log.length - offset - HEADER_SIZE) {
            return false;
        }
        return crc(length, log, offset + HEADER_SIZE, length) == checksum;
    }

    private static int crc(int length, byte[] payload, int offset, int count) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(4).putInt(0, length));
        crc.update(payload, offset, count);
        return (int) crc.getValue();
    }
}
