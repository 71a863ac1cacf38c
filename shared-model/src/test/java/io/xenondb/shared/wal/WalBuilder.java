package io.xenondb.shared.wal;

import io.xenondb.shared.lsn.Lsn;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Test-only WAL writer: lays records out the way PostgreSQL 17 does (8-byte aligned, page headers, long header on
 * a segment's first page, continuation headers with xlp_rem_len, SWITCH skipping to the segment end), so the
 * decoder can be tested without a server and on shapes a server makes only rarely.
 */
public final class WalBuilder {
    public static final int PAGE = 8192;
    public static final long SEGMENT = 16L * 1024 * 1024;
    public static final int MAGIC = 0xD116;
    public static final long SYSTEM_ID = 7_300_000_000_000_000_001L;

    /** One block reference to encode. */
    public record Block(
            int id,
            long spc,
            long db,
            long rel,
            int fork,
            long blockNumber,
            byte[] data,
            byte[] image,
            int imageInfo,
            int holeOffset,
            int holeLength,
            boolean sameRel,
            boolean willInit) {
        public static Block data(int id, long rel, long blockNumber, byte[] data) {
            return new Block(id, 1663, 5, rel, 0, blockNumber, data, null, 0, 0, 0, false, false);
        }

        /** An uncompressed image; with a hole if {@code holeLength > 0} (flag BKPIMAGE_HAS_HOLE | APPLY). */
        public static Block image(int id, long rel, long blockNumber, byte[] page, int holeOffset, int holeLength) {
            int info = 0x02 | (holeLength > 0 ? 0x01 : 0);
            byte[] stored = withoutHole(page, holeOffset, holeLength);
            return new Block(
                    id, 1663, 5, rel, 0, blockNumber, new byte[0], stored, info, holeOffset, holeLength, false, false);
        }

        /** A pglz-compressed image (flag COMPRESS_PGLZ | APPLY, plus HAS_HOLE if there is a hole). */
        public static Block pglzImage(int id, long rel, long blockNumber, byte[] page, int holeOffset, int holeLength) {
            int info = 0x02 | 0x04 | (holeLength > 0 ? 0x01 : 0);
            byte[] stored = PglzEncoder.compress(withoutHole(page, holeOffset, holeLength));
            return new Block(
                    id, 1663, 5, rel, 0, blockNumber, new byte[0], stored, info, holeOffset, holeLength, false, false);
        }

        public Block withSameRel() {
            return new Block(
                    id,
                    spc,
                    db,
                    rel,
                    fork,
                    blockNumber,
                    data,
                    image,
                    imageInfo,
                    holeOffset,
                    holeLength,
                    true,
                    willInit);
        }

        public Block withData(byte[] newData) {
            return new Block(
                    id,
                    spc,
                    db,
                    rel,
                    fork,
                    blockNumber,
                    newData,
                    image,
                    imageInfo,
                    holeOffset,
                    holeLength,
                    sameRel,
                    willInit);
        }

        public Block withImageInfo(int info) {
            return new Block(
                    id, spc, db, rel, fork, blockNumber, data, image, info, holeOffset, holeLength, sameRel, willInit);
        }

        public Block withFork(int newFork) {
            return new Block(
                    id,
                    spc,
                    db,
                    rel,
                    newFork,
                    blockNumber,
                    data,
                    image,
                    imageInfo,
                    holeOffset,
                    holeLength,
                    sameRel,
                    willInit);
        }

        static byte[] withoutHole(byte[] page, int holeOffset, int holeLength) {
            byte[] stored = new byte[page.length - holeLength];
            System.arraycopy(page, 0, stored, 0, holeOffset);
            System.arraycopy(page, holeOffset + holeLength, stored, holeOffset, page.length - holeOffset - holeLength);
            return stored;
        }
    }

    /** A record appended: where it starts and where the next one may start. */
    public record Placed(Lsn lsn, Lsn end, int totalLength) {}

    private final long start;
    private final int timeline;
    private byte[] buf = new byte[64 * 1024];
    private long pos;
    private long prev;
    private final List<Placed> placed = new ArrayList<>();
    private int pageInfoExtra = 0x0004; // XLP_BKP_REMOVABLE, as PostgreSQL sets it outside base backups

    /** A builder whose WAL starts at page or segment start {@code start}; the first record follows its header. */
    public WalBuilder(Lsn start, int timeline) {
        if (!start.isAtPageStart()) {
            throw new IllegalArgumentException("start must be a page start: " + start);
        }
        this.start = start.value();
        this.timeline = timeline;
        this.pos = this.start;
        this.prev = 0;
        writePageHeader(0, 0);
    }

    public WalBuilder(Lsn start) {
        this(start, 1);
    }

    public Lsn position() {
        return Lsn.of(pos);
    }

    public List<Placed> placed() {
        return List.copyOf(placed);
    }

    /** Encodes a record (header, block headers, payloads, CRC) with xl_prev = {@code prevLsn}. */
    public static byte[] encode(long prevLsn, long xid, int rmid, int info, List<Block> blocks, byte[] mainData) {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (Block b : blocks) {
            int flags = b.fork() & 0x0F;
            if (b.image() != null) {
                flags |= 0x10;
            }
            if (b.data().length > 0) {
                flags |= 0x20;
            }
            if (b.willInit()) {
                flags |= 0x40;
            }
            if (b.sameRel()) {
                flags |= 0x80;
            }
            headers.write(b.id());
            headers.write(flags);
            le16(headers, b.data().length);
            if (b.image() != null) {
                le16(headers, b.image().length);
                le16(headers, b.holeOffset());
                headers.write(b.imageInfo());
                if ((b.imageInfo() & 0x1C) != 0 && (b.imageInfo() & 0x01) != 0) {
                    le16(headers, b.holeLength());
                }
                payload.writeBytes(b.image());
            }
            if (!b.sameRel()) {
                le32(headers, b.spc());
                le32(headers, b.db());
                le32(headers, b.rel());
            }
            le32(headers, b.blockNumber());
            payload.writeBytes(b.data());
        }
        if (mainData.length > 0) {
            if (mainData.length < 256) {
                headers.write(255);
                headers.write(mainData.length);
            } else {
                headers.write(254);
                le32(headers, mainData.length);
            }
            payload.writeBytes(mainData);
        }
        int total = 24 + headers.size() + payload.size();
        ByteBuffer rec = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt(total)
                .putInt((int) xid)
                .putLong(prevLsn)
                .put((byte) info)
                .put((byte) rmid)
                .putShort((short) 0);
        rec.putInt(0);
        rec.put(headers.toByteArray()).put(payload.toByteArray());
        byte[] raw = rec.array();
        fixCrc(raw);
        return raw;
    }

    /** Recomputes xl_crc the way PostgreSQL does: payload first, then the header up to the CRC field. */
    public static void fixCrc(byte[] raw) {
        CRC32C crc = new CRC32C();
        crc.update(raw, 24, raw.length - 24);
        crc.update(raw, 0, 20);
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(20, (int) crc.getValue());
    }

    public Placed append(int rmid, int info, long xid, List<Block> blocks, byte[] mainData) {
        return appendRaw(encode(prev, xid, rmid, info, blocks, mainData));
    }

    /** A record with only main data of {@code length} patterned bytes (LogicalMessage rmgr). */
    public Placed appendMessage(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + length);
        }
        return append(21, 0x00, 700, List.of(), data);
    }

    /** XLOG SWITCH: the next record starts at the next segment. */
    public Placed appendSwitch() {
        Placed p = append(0, 0x40, 0, List.of(), new byte[0]);
        long segEnd = (pos + SEGMENT - 1) & ~(SEGMENT - 1);
        while (pos < segEnd) {
            if (pos % PAGE == 0) {
                writePageHeader(0, 0);
            }
            pos = Math.min(segEnd, (pos / PAGE + 1) * PAGE);
        }
        Placed adjusted = new Placed(p.lsn(), Lsn.of(segEnd), p.totalLength());
        placed.set(placed.size() - 1, adjusted);
        return adjusted;
    }

    /** Appends already-encoded record bytes (their xl_prev should be {@link #lastLsn()}). */
    public Placed appendRaw(byte[] raw) {
        pos = (pos + 7) & ~7L;
        if (pos % PAGE == 0) {
            writePageHeader(0, 0);
        }
        long recStart = pos;
        int written = 0;
        while (written < raw.length) {
            if (pos % PAGE == 0) {
                writePageHeader(0x0001, raw.length - written);
            }
            int n = (int) Math.min(raw.length - written, PAGE - pos % PAGE);
            put(raw, written, n);
            written += n;
        }
        prev = recStart;
        Placed p = new Placed(Lsn.of(recStart), Lsn.of((pos + 7) & ~7L), raw.length);
        placed.add(p);
        return p;
    }

    public Lsn lastLsn() {
        return Lsn.of(prev);
    }

    private void writePageHeader(int flags, long remaining) {
        boolean segmentStart = pos % SEGMENT == 0;
        ByteBuffer h = ByteBuffer.allocate(segmentStart ? 40 : 24).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) MAGIC).putShort((short) (flags | pageInfoExtra | (segmentStart ? 0x0002 : 0)));
        h.putInt(timeline).putLong(pos).putInt((int) remaining).putInt(0);
        if (segmentStart) {
            h.putLong(SYSTEM_ID).putInt((int) SEGMENT).putInt(PAGE);
        }
        byte[] bytes = h.array();
        put(bytes, 0, bytes.length);
    }

    private void put(byte[] src, int off, int len) {
        int at = (int) (pos - start);
        if (at + len > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + len));
        }
        System.arraycopy(src, off, buf, at, len);
        pos += len;
    }

    /** The WAL from the start to the end of the current page; bytes after the last record are zero. */
    public byte[] bytes() {
        long end = (pos + PAGE - 1) / PAGE * PAGE;
        return Arrays.copyOf(buf, (int) (end - start));
    }

    /** The WAL from the start to the end of the current segment, as full 16 MiB segment files would hold it. */
    public byte[] toSegmentEnd() {
        long end = (pos + SEGMENT - 1) / SEGMENT * SEGMENT;
        return Arrays.copyOf(buf, (int) (end - start));
    }

    private static void le16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
    }

    private static void le32(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }
}
