package io.xenondb.shared.wal.view;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.internal.LittleEndian;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.RelFileLocator;
import java.time.Instant;

/** A bounds-checked little-endian cursor over a record's main data; overruns become typed errors. */
final class MainDataReader {
    /** Seconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01T00:00:00Z. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private static final long MAX_INSTANT_SECONDS = Instant.MAX.getEpochSecond();

    private final Lsn lsn;
    private final String what;
    private final byte[] data;
    private int pos;

    MainDataReader(DecodedRecord record, String what) {
        this.lsn = record.lsn();
        this.what = what;
        this.data = record.mainData();
    }

    int position() {
        return pos;
    }

    int remaining() {
        return data.length - pos;
    }

    void need(long bytes, String field) {
        if (bytes < 0 || bytes > remaining()) {
            throw error(
                    field + " needs " + bytes + " bytes at offset " + pos + ", but the main data has " + data.length);
        }
    }

    void skip(long bytes, String field) {
        need(bytes, field);
        pos += (int) bytes;
    }

    int u8(String field) {
        need(1, field);
        return LittleEndian.u8(data, pos++);
    }

    int i32(String field) {
        need(4, field);
        int v = LittleEndian.i32(data, pos);
        pos += 4;
        return v;
    }

    long u32(String field) {
        return i32(field) & 0xFFFF_FFFFL;
    }

    long i64(String field) {
        need(8, field);
        long v = LittleEndian.i64(data, pos);
        pos += 8;
        return v;
    }

    /** A non-negative element count whose elements of {@code elementSize} bytes must fit in what is left. */
    int count(String field, int elementSize) {
        int n = i32(field);
        if (n < 0 || (long) n * elementSize > remaining()) {
            throw error(field + " " + n + " does not fit in the " + remaining() + " bytes left");
        }
        return n;
    }

    RelFileLocator rel(String field) {
        return new RelFileLocator(u32(field), u32(field), u32(field));
    }

    /** A NUL-terminated string. */
    String cstring(String field) {
        for (int i = pos; i < data.length; i++) {
            if (data[i] == 0) {
                String s = new String(data, pos, i - pos, java.nio.charset.StandardCharsets.UTF_8);
                pos = i + 1;
                return s;
            }
        }
        throw error(field + " at offset " + pos + " is not NUL-terminated");
    }

    /** A TimestampTz: microseconds since 2000-01-01 UTC. */
    Instant timestampTz(String field) {
        long micros = i64(field);
        return Instant.ofEpochSecond(
                PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /** A pg_time_t: seconds since the Unix epoch. */
    Instant pgTime(String field) {
        long seconds = i64(field);
        if (seconds > MAX_INSTANT_SECONDS || seconds < -MAX_INSTANT_SECONDS) {
            throw error(field + " " + seconds + " is out of range");
        }
        return Instant.ofEpochSecond(seconds);
    }

    WalDecodeException error(String problem) {
        return new WalDecodeException(lsn, Reason.INVALID_RECORD_DATA, what + ": " + problem);
    }
}
