package io.xenondb.shared.wal.record;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.internal.WalFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A full-page image attached to a block reference: the stored bytes (the page without its all-zero "hole",
 * possibly compressed) and what is needed to restore the 8 KiB page.
 */
public final class FullPageImage {
    /** bimg_info bits (xlogrecord.h). */
    static final int HAS_HOLE = 0x01;

    static final int APPLY = 0x02;
    static final int COMPRESS_PGLZ = 0x04;
    static final int COMPRESS_LZ4 = 0x08;
    static final int COMPRESS_ZSTD = 0x10;
    static final int COMPRESSED_MASK = COMPRESS_PGLZ | COMPRESS_LZ4 | COMPRESS_ZSTD;

    private final Lsn recordLsn;
    private final int blockId;
    private final int info;
    private final int holeOffset;
    private final int holeLength;
    private final byte[] record;
    private final int offset;
    private final int length;

    FullPageImage(
            Lsn recordLsn,
            int blockId,
            int info,
            int holeOffset,
            int holeLength,
            byte[] record,
            int offset,
            int length) {
        this.recordLsn = recordLsn;
        this.blockId = blockId;
        this.info = info;
        this.holeOffset = holeOffset;
        this.holeLength = holeLength;
        this.record = record;
        this.offset = offset;
        this.length = length;
    }

    /** Bytes of image data stored in the record (bimg_len): pg_walinspect's {@code block_fpi_length}. */
    public int storedLength() {
        return length;
    }

    public int holeOffset() {
        return holeOffset;
    }

    public int holeLength() {
        return holeLength;
    }

    /** Whether redo restores this image (BKPIMAGE_APPLY); otherwise it is only for consistency checks. */
    public boolean apply() {
        return (info & APPLY) != 0;
    }

    public boolean hasHole() {
        return (info & HAS_HOLE) != 0;
    }

    /** The raw bimg_info byte. */
    public int info() {
        return info;
    }

    /** The compression method; PostgreSQL picks pglz, then lz4, then zstd if several bits are set. */
    public ImageCompression compression() {
        if ((info & COMPRESS_PGLZ) != 0) {
            return ImageCompression.PGLZ;
        } else if ((info & COMPRESS_LZ4) != 0) {
            return ImageCompression.LZ4;
        } else if ((info & COMPRESS_ZSTD) != 0) {
            return ImageCompression.ZSTD;
        }
        return ImageCompression.NONE;
    }

    /** The flag names pg_walinspect prints in {@code block_fpi_info}, in its order. */
    public List<String> flagNames() {
        List<String> names = new ArrayList<>(3);
        if (hasHole()) {
            names.add("HAS_HOLE");
        }
        if (apply()) {
            names.add("APPLY");
        }
        if ((info & COMPRESS_PGLZ) != 0) {
            names.add("COMPRESS_PGLZ");
        }
        if ((info & COMPRESS_LZ4) != 0) {
            names.add("COMPRESS_LZ4");
        }
        if ((info & COMPRESS_ZSTD) != 0) {
            names.add("COMPRESS_ZSTD");
        }
        return names;
    }

    /** A copy of the stored image bytes, as they are in the record. */
    public byte[] storedBytes() {
        return Arrays.copyOfRange(record, offset, offset + length);
    }

    /**
     * Restores the 8 KiB page: decompresses if needed and puts the zeroed hole back.
     *
     * @throws WalDecodeException naming the record's LSN if the image is corrupt or compressed with a method
     *     other than pglz
     */
    public byte[] restorePage() {
        int bodyLength = WalFormat.BLOCK_SIZE - holeLength;
        byte[] body;
        int bodyOffset;
        ImageCompression compression = compression();
        switch (compression) {
            case NONE -> {
                body = record;
                bodyOffset = offset;
            }
            case PGLZ -> {
                body = Pglz.decompress(record, offset, length, bodyLength);
                bodyOffset = 0;
                if (body == null) {
                    throw new WalDecodeException(
                            recordLsn,
                            WalDecodeException.Reason.INVALID_PAGE_IMAGE,
                            "could not decompress pglz image of block " + blockId + " (" + length + " bytes, expected "
                                    + bodyLength + " after decompression)");
                }
            }
            default ->
                throw new WalDecodeException(
                        recordLsn,
                        WalDecodeException.Reason.UNSUPPORTED_COMPRESSION,
                        "image of block " + blockId + " is compressed with " + compression
                                + ", which this decoder does not support (expected: pglz or none)");
        }
        byte[] page = new byte[WalFormat.BLOCK_SIZE];
        System.arraycopy(body, bodyOffset, page, 0, holeOffset);
        int afterHole = holeOffset + holeLength;
        System.arraycopy(body, bodyOffset + holeOffset, page, afterHole, WalFormat.BLOCK_SIZE - afterHole);
        return page;
    }

    @Override
    public String toString() {
        return "FPI(len=" + length + ", hole=" + holeOffset + "+" + holeLength + ", " + flagNames() + ")";
    }
}
