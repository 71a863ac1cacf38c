package io.xenondb.shared.wal.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * One block reference of a WAL record: which page it touches, the rmgr-specific data for that page and an
 * optional full-page image.
 */
public final class BlockReference {
    /** fork_flags bits (xlogrecord.h). */
    static final int HAS_IMAGE = 0x10;

    static final int HAS_DATA = 0x20;
    static final int WILL_INIT = 0x40;
    static final int SAME_REL = 0x80;

    private final int blockId;
    private final RelFileLocator rel;
    private final ForkNumber fork;
    private final long blockNumber;
    private final int forkFlags;
    private final FullPageImage image;
    private final byte[] record;
    private final int dataOffset;
    private final int dataLength;

    BlockReference(
            int blockId,
            RelFileLocator rel,
            ForkNumber fork,
            long blockNumber,
            int forkFlags,
            FullPageImage image,
            byte[] record,
            int dataOffset,
            int dataLength) {
        this.blockId = blockId;
        this.rel = rel;
        this.fork = fork;
        this.blockNumber = blockNumber;
        this.forkFlags = forkFlags;
        this.image = image;
        this.record = record;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
    }

    /** The block reference id (0..32); ids may have gaps. */
    public int blockId() {
        return blockId;
    }

    public RelFileLocator rel() {
        return rel;
    }

    public ForkNumber fork() {
        return fork;
    }

    /** The block number, an unsigned 32-bit value. */
    public long blockNumber() {
        return blockNumber;
    }

    /** Whether redo re-initialises the page, so no earlier version of it is needed (BKPBLOCK_WILL_INIT). */
    public boolean willInit() {
        return (forkFlags & WILL_INIT) != 0;
    }

    /** The raw fork_flags byte. */
    public int forkFlags() {
        return forkFlags;
    }

    public Optional<FullPageImage> image() {
        return Optional.ofNullable(image);
    }

    public boolean hasImage() {
        return image != null;
    }

    /** Length of the block's rmgr data: pg_walinspect's {@code block_data_length}. */
    public int dataLength() {
        return dataLength;
    }

    /** A copy of the block's rmgr data (empty if none). */
    public byte[] data() {
        return Arrays.copyOfRange(record, dataOffset, dataOffset + dataLength);
    }

    /** The block's rmgr data as a read-only little-endian buffer. */
    public ByteBuffer dataBuffer() {
        return ByteBuffer.wrap(record, dataOffset, dataLength)
                .slice()
                .asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return "blkref #" + blockId + ": rel " + rel + " fork " + fork.pgName() + " blk " + blockNumber
                + (image != null ? " " + image : "") + (dataLength > 0 ? " data " + dataLength : "");
    }
}
