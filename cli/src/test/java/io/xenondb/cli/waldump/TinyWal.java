package io.xenondb.cli.waldump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Test-only writer of one small but valid PostgreSQL 17 WAL segment: records laid out with page headers,
 * continuations and CRCs, so waldump's output can be checked without a server.
 */
final class TinyWal {
    static final int PAGE = 8192;
    static final int SEGMENT = 16 * 1024 * 1024;

    private final long start;
    private final ByteBuffer seg = ByteBuffer.allocate(SEGMENT).order(ByteOrder.LITTLE_ENDIAN);
    private long prev;
    final List<Long> lsns = new ArrayList<>();

    /** A segment starting at segment number {@code segmentNumber} (timeline 1). */
    TinyWal(long segmentNumber) {
        this.start = segmentNumber * SEGMENT;
        pageHeader(0, 0);
    }

    /** A logical message record with {@code length} bytes of main data. */
    TinyWal message(int length) {
        return record(21, 0x00, 700, null, new byte[length]);
    }

    /** A Heap INSERT touching block {@code block} of relation 1663/5/{@code rel}. */
    TinyWal heapInsert(long rel, long block) {
        ByteBuffer b = ByteBuffer.allocate(27).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0)
                .put((byte) 0x20)
                .putShort((short) 2)
                .putInt(1663)
                .putInt(5)
                .putInt((int) rel);
        b.putInt((int) block)
                .put((byte) 255)
                .put((byte) 3)
                .put(new byte[] {9, 9})
                .put(new byte[3]);
        return record(10, 0x00, 734, b.array(), null);
    }

    /** An XLOG FPI record carrying a whole-page image of block {@code block} in the vm fork. */
    TinyWal fullPageImage(long rel, long block) {
        ByteBuffer b = ByteBuffer.allocate(25 + PAGE).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0).put((byte) 0x12).putShort((short) 0);
        b.putShort((short) PAGE).putShort((short) 0).put((byte) 0x02);
        b.putInt(1663).putInt(5).putInt((int) rel).putInt((int) block).put(new byte[PAGE]);
        return record(0, 0xB0, 0, b.array(), null);
    }

    private TinyWal record(int rmid, int info, int xid, byte[] headersAndPayload, byte[] mainData) {
        byte[] body;
        if (mainData != null) {
            ByteBuffer b = ByteBuffer.allocate(5 + mainData.length).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) 254).putInt(mainData.length).put(mainData);
            body = b.array();
        } else {
            body = headersAndPayload;
        }
        int total = 24 + body.length;
        ByteBuffer rec = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt(total)
                .putInt(xid)
                .putLong(prev)
                .put((byte) info)
                .put((byte) rmid)
                .putShort((short) 0)
                .putInt(0);
        rec.put(body);
        byte[] raw = rec.array();
        CRC32C crc = new CRC32C();
        crc.update(raw, 24, raw.length - 24);
        crc.update(raw, 0, 20);
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(20, (int) crc.getValue());

        seg.position((seg.position() + 7) & ~7);
        if (seg.position() % PAGE == 0) {
            pageHeader(0, 0);
        }
        prev = start + seg.position();
        lsns.add(prev);
        int written = 0;
        while (written < raw.length) {
            if (seg.position() % PAGE == 0) {
                pageHeader(1, raw.length - written);
            }
            int n = Math.min(raw.length - written, PAGE - seg.position() % PAGE);
            seg.put(raw, written, n);
            written += n;
        }
        return this;
    }

    private void pageHeader(int flags, int remaining) {
        boolean first = seg.position() == 0;
        seg.putShort((short) 0xD116)
                .putShort((short) (flags | 0x04 | (first ? 0x02 : 0)))
                .putInt(1);
        seg.putLong(start + seg.position() - 8).putInt(remaining).putInt(0);
        if (first) {
            seg.putLong(7_300_000_000_000_000_001L).putInt(SEGMENT).putInt(PAGE);
        }
    }

    /** The LSN text of record {@code i}, as Xenon prints it. */
    String lsn(int i) {
        long v = lsns.get(i);
        return Long.toHexString(v >>> 32).toUpperCase() + "/"
                + Long.toHexString(v & 0xFFFFFFFFL).toUpperCase();
    }

    Path writeTo(Path dir) throws IOException {
        String name = String.format("%08X%08X%08X", 1, start / SEGMENT / 256, start / SEGMENT % 256);
        return Files.write(Files.createDirectories(dir).resolve(name), seg.array());
    }
}
