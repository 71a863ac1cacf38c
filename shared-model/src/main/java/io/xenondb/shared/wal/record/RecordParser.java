package io.xenondb.shared.wal.record;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.internal.LittleEndian;
import io.xenondb.shared.wal.internal.WalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Splits a record's bytes into header, block references and main data (PostgreSQL's DecodeXLogRecord), with
 * every length checked against what is left before it is used.
 */
final class RecordParser {
    private static final int MAX_BLOCK_ID = 32;
    private static final int BLOCK_ID_DATA_SHORT = 255;
    private static final int BLOCK_ID_DATA_LONG = 254;
    private static final int BLOCK_ID_ORIGIN = 253;
    private static final int BLOCK_ID_TOPLEVEL_XID = 252;

    /** A parsed block header; its data is located after all headers are read. */
    private record Header(
            int blockId,
            int forkFlags,
            ForkNumber fork,
            RelFileLocator rel,
            long blockNumber,
            int dataLength,
            int imageLength,
            int holeOffset,
            int holeLength,
            int imageInfo) {}

    private final Lsn lsn;
    private final byte[] raw;
    private int pos = WalFormat.RECORD_HEADER_SIZE;

    private RecordParser(Lsn lsn, byte[] raw) {
        this.lsn = lsn;
        this.raw = raw;
    }

    static DecodedRecord parse(Lsn lsn, Lsn endLsn, byte[] raw) {
        return new RecordParser(lsn, raw).parse(endLsn);
    }

    private DecodedRecord parse(Lsn endLsn) {
        checkHeader();
        checkCrc();
        List<Header> headers = new ArrayList<>();
        int origin = 0;
        long toplevelXid = 0;
        long mainDataLength = 0;
        long dataTotal = 0;
        int maxBlockId = -1;
        RelFileLocator lastRel = null;
        while (raw.length - pos > dataTotal) {
            int id = u8();
            if (id == BLOCK_ID_DATA_SHORT) {
                mainDataLength = u8();
                dataTotal += mainDataLength;
                break;
            } else if (id == BLOCK_ID_DATA_LONG) {
                mainDataLength = u32();
                dataTotal += mainDataLength;
                break;
            } else if (id == BLOCK_ID_ORIGIN) {
                origin = u16();
            } else if (id == BLOCK_ID_TOPLEVEL_XID) {
                toplevelXid = u32();
            } else if (id <= MAX_BLOCK_ID) {
                if (id <= maxBlockId) {
                    throw layout("out-of-order block_id " + id + " (after " + maxBlockId + ")");
                }
                maxBlockId = id;
                Header h = blockHeader(id, lastRel);
                lastRel = h.rel();
                dataTotal += h.dataLength() + h.imageLength();
                headers.add(h);
            } else {
                throw layout("invalid block_id " + id + " (expected: 0..32 or 252..255)");
            }
        }
        if (raw.length - pos != dataTotal) {
            throw layout("record with invalid length: " + (raw.length - pos) + " bytes after the headers, " + dataTotal
                    + " announced by them");
        }
        List<BlockReference> blocks = new ArrayList<>(headers.size());
        int at = pos;
        for (Header h : headers) {
            FullPageImage image = null;
            if ((h.forkFlags() & BlockReference.HAS_IMAGE) != 0) {
                image = new FullPageImage(
                        lsn, h.blockId(), h.imageInfo(), h.holeOffset(), h.holeLength(), raw, at, h.imageLength());
                at += h.imageLength();
            }
            blocks.add(new BlockReference(
                    h.blockId(), h.rel(), h.fork(), h.blockNumber(), h.forkFlags(), image, raw, at, h.dataLength()));
            at += h.dataLength();
        }
        return new DecodedRecord(lsn, endLsn, raw, blocks, at, (int) mainDataLength, origin, toplevelXid);
    }

    private void checkHeader() {
        if (raw.length < WalFormat.RECORD_HEADER_SIZE) {
            throw new WalDecodeException(
                    lsn, Reason.INVALID_RECORD_HEADER, "record of " + raw.length + " bytes is shorter than its header");
        }
        long totalLength = LittleEndian.u32(raw, 0);
        if (totalLength != raw.length) {
            throw new WalDecodeException(
                    lsn,
                    Reason.INVALID_RECORD_HEADER,
                    "xl_tot_len " + totalLength + " does not match the " + raw.length + " record bytes given");
        }
        int rmid = LittleEndian.u8(raw, 17);
        if (ResourceManager.ofId(rmid).isEmpty()) {
            throw new WalDecodeException(
                    lsn,
                    Reason.INVALID_RECORD_HEADER,
                    "invalid resource manager ID " + rmid + " (expected: 0..21 or 128..255)");
        }
    }

    private void checkCrc() {
        CRC32C crc = new CRC32C();
        // PostgreSQL checksums the payload first and the header (up to xl_crc) last.
        crc.update(raw, WalFormat.RECORD_HEADER_SIZE, raw.length - WalFormat.RECORD_HEADER_SIZE);
        crc.update(raw, 0, 20);
        int expected = LittleEndian.i32(raw, 20);
        if ((int) crc.getValue() != expected) {
            throw new WalDecodeException(
                    lsn,
                    Reason.CRC_MISMATCH,
                    String.format(
                            "incorrect resource manager data checksum: computed %08X, record says %08X",
                            (int) crc.getValue(), expected));
        }
    }

    private Header blockHeader(int id, RelFileLocator lastRel) {
        int forkFlags = u8();
        int dataLength = u16();
        boolean hasData = (forkFlags & BlockReference.HAS_DATA) != 0;
        if (hasData && dataLength == 0) {
            throw layout("block " + id + ": BKPBLOCK_HAS_DATA set, but no data included");
        }
        if (!hasData && dataLength != 0) {
            throw layout("block " + id + ": BKPBLOCK_HAS_DATA not set, but data length is " + dataLength);
        }
        int imageLength = 0;
        int holeOffset = 0;
        int holeLength = 0;
        int imageInfo = 0;
        if ((forkFlags & BlockReference.HAS_IMAGE) != 0) {
            imageLength = u16();
            holeOffset = u16();
            imageInfo = u8();
            boolean compressed = (imageInfo & FullPageImage.COMPRESSED_MASK) != 0;
            boolean hasHole = (imageInfo & FullPageImage.HAS_HOLE) != 0;
            if (compressed) {
                holeLength = hasHole ? u16() : 0;
            } else {
                holeLength = WalFormat.BLOCK_SIZE - imageLength;
            }
            checkImage(id, imageLength, holeOffset, holeLength, compressed, hasHole);
        }
        RelFileLocator rel;
        if ((forkFlags & BlockReference.SAME_REL) == 0) {
            rel = new RelFileLocator(u32(), u32(), u32());
        } else if (lastRel == null) {
            throw layout("block " + id + ": BKPBLOCK_SAME_REL set but no previous rel");
        } else {
            rel = lastRel;
        }
        long blockNumber = u32();
        int forkId = forkFlags & 0x0F;
        ForkNumber fork = ForkNumber.ofId(forkId)
                .orElseThrow(() -> layout("block " + id + ": invalid fork number " + forkId + " (expected: 0..3)"));
        return new Header(
                id, forkFlags, fork, rel, blockNumber, dataLength, imageLength, holeOffset, holeLength, imageInfo);
    }

    private void checkImage(
            int id, int imageLength, int holeOffset, int holeLength, boolean compressed, boolean hasHole) {
        String what = "block " + id + " image: length " + imageLength + ", hole offset " + holeOffset + " length "
                + holeLength;
        if (hasHole && (holeOffset == 0 || holeLength == 0 || imageLength == WalFormat.BLOCK_SIZE)) {
            throw layout(what + ": BKPIMAGE_HAS_HOLE set, but the hole is empty or the image is a whole page");
        }
        if (!hasHole && (holeOffset != 0 || holeLength != 0)) {
            throw layout(what + ": BKPIMAGE_HAS_HOLE not set, but a hole is described");
        }
        if (compressed && imageLength == WalFormat.BLOCK_SIZE) {
            throw layout(what + ": compressed, but as long as a whole page");
        }
        if (!compressed && !hasHole && imageLength != WalFormat.BLOCK_SIZE) {
            throw layout(what + ": neither a hole nor compression, so the image must be " + WalFormat.BLOCK_SIZE);
        }
        if (imageLength > WalFormat.BLOCK_SIZE || holeOffset + holeLength > WalFormat.BLOCK_SIZE) {
            throw layout(what + ": does not fit in a " + WalFormat.BLOCK_SIZE + "-byte page");
        }
    }

    private void need(int bytes) {
        if (raw.length - pos < bytes) {
            throw layout("record with invalid length: header field of " + bytes + " bytes at offset " + pos
                    + " runs past the record end (" + raw.length + ")");
        }
    }

    private int u8() {
        need(1);
        return LittleEndian.u8(raw, pos++);
    }

    private int u16() {
        need(2);
        int v = LittleEndian.u16(raw, pos);
        pos += 2;
        return v;
    }

    private long u32() {
        need(4);
        long v = LittleEndian.u32(raw, pos);
        pos += 4;
        return v;
    }

    private WalDecodeException layout(String problem) {
        return new WalDecodeException(lsn, Reason.INVALID_RECORD_LAYOUT, problem);
    }
}
