package io.xenondb.walnode.storage;

import com.google.protobuf.ByteString;
import io.xenondb.shared.lsn.Lsn;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Test-only WAL as PostgreSQL 17 lays it out (aligned records with CRC-32C, a long page header on a segment's
 * first page, short ones elsewhere, continuation headers), made of LogicalMessage records of chosen sizes. Each
 * record comes with the bytes a WAL proposer would send for it: from the end of the previous one to its own
 * end, page headers and alignment included.
 */
final class SyntheticWal {
    static final int PAGE = 8192;
    static final long SEGMENT = 16L * 1024 * 1024;
    static final long SYSTEM_ID = 7_400_000_000_000_000_007L;

    /** One record: it starts at {@code lsn}; {@code bytes} cover {@code [begin, end)}. */
    record Chunk(Lsn begin, Lsn lsn, Lsn end, ByteString bytes) {}

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final List<Chunk> chunks = new ArrayList<>();
    private long pos;
    private long chunkBegin;
    private long prev;
    private int seed;

    /** WAL starting at {@code start}: a page start gets a page header, a record boundary does not. */
    SyntheticWal(Lsn start) {
        pos = start.value();
        chunkBegin = pos;
        if (start.isAtPageStart()) {
            pageHeader(0, 0);
        }
    }

    Lsn position() {
        return Lsn.of(pos);
    }

    List<Chunk> chunks() {
        return List.copyOf(chunks);
    }

    /** Appends a record with {@code dataLength} bytes of main data; returns its chunk. */
    Chunk append(int dataLength) {
        byte[] raw = record(dataLength);
        if (pos % PAGE == 0) {
            pageHeader(0, 0);
        }
        long start = pos;
        int done = 0;
        while (done < raw.length) {
            if (pos % PAGE == 0) {
                pageHeader(0x0001, raw.length - done);
            }
            int n = (int) Math.min(raw.length - done, PAGE - pos % PAGE);
            put(raw, done, n);
            done += n;
        }
        long end = (pos + 7) & ~7L;
        put(new byte[(int) (end - pos)], 0, (int) (end - pos));
        prev = start;
        Chunk chunk =
                new Chunk(Lsn.of(chunkBegin), Lsn.of(start), Lsn.of(end), ByteString.copyFrom(pending.toByteArray()));
        pending.reset();
        chunkBegin = end;
        chunks.add(chunk);
        return chunk;
    }

    /**
     * Appends records until one ends exactly at {@code target} (a page start, e.g. a segment end): fills up to
     * the page before it, then sizes the last record to the room left.
     */
    Chunk appendEndingAt(Lsn target) {
        long lastPage = target.value() - PAGE;
        appendUntil(Lsn.of(lastPage + 64), 3000);
        long room = target.value() - pos;
        if (room < 64 || room > PAGE - 64) {
            throw new IllegalStateException("cannot end a record at " + target + " from " + position());
        }
        return append((int) room - 24 - 5);
    }

    /** Appends records of random-ish sizes until the WAL reaches {@code target}. */
    List<Chunk> appendUntil(Lsn target, int maxData) {
        List<Chunk> made = new ArrayList<>();
        while (Lsn.of(pos).isBefore(target)) {
            seed = seed * 1_103_515_245 + 12_345;
            made.add(append(1 + Math.floorMod(seed >>> 8, maxData)));
        }
        return made;
    }

    private byte[] record(int dataLength) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (dataLength < 256) {
            body.write(255); // XLR_BLOCK_ID_DATA_SHORT
            body.write(dataLength);
        } else {
            body.write(254); // XLR_BLOCK_ID_DATA_LONG
            body.writeBytes(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(dataLength)
                    .array());
        }
        for (int i = 0; i < dataLength; i++) {
            body.write((int) (pos + i * 7L));
        }
        int total = 24 + body.size();
        ByteBuffer rec = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt(total)
                .putInt(1000)
                .putLong(prev)
                .put((byte) 0)
                .put((byte) 21)
                .putShort((short) 0);
        rec.putInt(0).put(body.toByteArray());
        byte[] raw = rec.array();
        CRC32C crc = new CRC32C();
        crc.update(raw, 24, raw.length - 24);
        crc.update(raw, 0, 20);
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(20, (int) crc.getValue());
        return raw;
    }

    private void pageHeader(int flags, long remaining) {
        boolean longHeader = pos % SEGMENT == 0;
        ByteBuffer h = ByteBuffer.allocate(longHeader ? 40 : 24).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) 0xD116).putShort((short) (flags | 0x0004 | (longHeader ? 0x0002 : 0)));
        h.putInt(1).putLong(pos).putInt((int) remaining).putInt(0);
        if (longHeader) {
            h.putLong(SYSTEM_ID).putInt((int) SEGMENT).putInt(PAGE);
        }
        put(h.array(), 0, h.capacity());
    }

    private void put(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
        pos += length;
    }
}
