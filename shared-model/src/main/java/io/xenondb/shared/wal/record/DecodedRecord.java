package io.xenondb.shared.wal.record;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.internal.LittleEndian;
import io.xenondb.shared.wal.internal.WalFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One complete, CRC-checked WAL record with its block references and main data. Immutable; the accessors
 * that return bytes return copies or read-only views.
 */
public final class DecodedRecord {
    /** XLR_INFO_MASK: the low info bits belong to the WAL machinery, the high ones to the rmgr. */
    public static final int RMGR_INFO_MASK = 0xF0;

    private final Lsn lsn;
    private final Lsn endLsn;
    private final byte[] raw;
    private final List<BlockReference> blocks;
    private final int mainDataOffset;
    private final int mainDataLength;
    private final int origin;
    private final long toplevelXid;

    DecodedRecord(
            Lsn lsn,
            Lsn endLsn,
            byte[] raw,
            List<BlockReference> blocks,
            int mainDataOffset,
            int mainDataLength,
            int origin,
            long toplevelXid) {
        this.lsn = lsn;
        this.endLsn = endLsn;
        this.raw = raw;
        this.blocks = List.copyOf(blocks);
        this.mainDataOffset = mainDataOffset;
        this.mainDataLength = mainDataLength;
        this.origin = origin;
        this.toplevelXid = toplevelXid;
    }

    /**
     * Decodes one record from its {@code xl_tot_len} bytes (already reassembled across pages): checks the
     * header, the CRC-32C and the block/data layout. The array is kept, not copied; do not modify it.
     *
     * @param lsn where the record starts
     * @param endLsn where the next record may start (pg_walinspect's {@code end_lsn})
     * @throws WalDecodeException naming {@code lsn} if the record is damaged
     */
    public static DecodedRecord decode(Lsn lsn, Lsn endLsn, byte[] raw) {
        return RecordParser.parse(lsn, endLsn, raw);
    }

    /** The record's start LSN (ReadRecPtr). */
    public Lsn lsn() {
        return lsn;
    }

    /** The LSN after the record, aligned, where the next record may start (EndRecPtr); a segment end for SWITCH. */
    public Lsn endLsn() {
        return endLsn;
    }

    /** xl_prev: the start of the previous record. */
    public Lsn prevLsn() {
        return Lsn.of(LittleEndian.i64(raw, 8));
    }

    /** xl_xid, an unsigned 32-bit transaction id (0 if none). */
    public long xid() {
        return LittleEndian.u32(raw, 4);
    }

    /** The full xl_info byte. */
    public int info() {
        return LittleEndian.u8(raw, 16);
    }

    /** The rmgr-owned part of xl_info (the high nibble). */
    public int rmgrInfo() {
        return info() & RMGR_INFO_MASK;
    }

    /** xl_rmid. */
    public int rmgrId() {
        return LittleEndian.u8(raw, 17);
    }

    /** The resource manager; {@link ResourceManager#CUSTOM} for extension rmgrs (see {@link #rmgrId()}). */
    public ResourceManager resourceManager() {
        return ResourceManager.ofId(rmgrId()).orElseThrow();
    }

    /** The rmgr name as pg_walinspect prints it. */
    public String rmgrName() {
        return ResourceManager.nameOf(rmgrId());
    }

    /** The record type name as pg_walinspect prints it, e.g. {@code INSERT+INIT} or {@code CHECKPOINT_ONLINE}. */
    public String recordType() {
        return RecordTypes.name(resourceManager(), info());
    }

    /** xl_tot_len: pg_walinspect's {@code record_length}. */
    public int totalLength() {
        return raw.length;
    }

    /** xl_crc. */
    public int crc() {
        return LittleEndian.i32(raw, 20);
    }

    public List<BlockReference> blocks() {
        return blocks;
    }

    /** The block reference with id {@code blockId}, if present. */
    public Optional<BlockReference> block(int blockId) {
        return blocks.stream().filter(b -> b.blockId() == blockId).findFirst();
    }

    /** Sum of stored full-page image bytes: pg_walinspect's {@code fpi_length}. */
    public int fpiLength() {
        int sum = 0;
        for (BlockReference b : blocks) {
            sum += b.image().map(FullPageImage::storedLength).orElse(0);
        }
        return sum;
    }

    /** pg_walinspect's {@code main_data_length}. */
    public int mainDataLength() {
        return mainDataLength;
    }

    /** A copy of the main data. */
    public byte[] mainData() {
        return Arrays.copyOfRange(raw, mainDataOffset, mainDataOffset + mainDataLength);
    }

    /** The main data as a read-only little-endian buffer. */
    public ByteBuffer mainDataBuffer() {
        return ByteBuffer.wrap(raw, mainDataOffset, mainDataLength)
                .slice()
                .asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The replication origin id (XLR_BLOCK_ID_ORIGIN), 0 if none. */
    public int origin() {
        return origin;
    }

    /** The top-level xid (XLR_BLOCK_ID_TOPLEVEL_XID) of a subtransaction's record, 0 if none. */
    public long toplevelXid() {
        return toplevelXid;
    }

    /** A copy of the whole record as stored in the WAL (header included). */
    public byte[] rawBytes() {
        return raw.clone();
    }

    /** Whether this is an XLOG SWITCH record, after which the rest of the segment is unused. */
    public boolean isSwitch() {
        return rmgrId() == WalFormat.RMGR_XLOG && rmgrInfo() == WalFormat.XLOG_SWITCH;
    }

    @Override
    public String toString() {
        return "rmgr: " + rmgrName() + " " + recordType() + " lsn: " + lsn + " end: " + endLsn + " len: "
                + totalLength() + " tx: " + xid() + " blocks: " + blocks;
    }
}
