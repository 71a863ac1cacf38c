package io.xenondb.shared.wal.internal;

/** Sizes and flag bits of the PostgreSQL 17 WAL format (xlog_internal.h, xlogrecord.h). */
public final class WalFormat {
    private WalFormat() {}

    /** XLOG_PAGE_MAGIC of PostgreSQL 17. */
    public static final int PAGE_MAGIC = 0xD116;

    public static final int PAGE_SIZE = 8192;
    public static final long SEGMENT_SIZE = 16L * 1024 * 1024;
    /** Relation page size (BLCKSZ): full-page images restore to this many bytes. */
    public static final int BLOCK_SIZE = 8192;

    /** MAXALIGN(sizeof(XLogPageHeaderData)). */
    public static final int SHORT_PAGE_HEADER_SIZE = 24;
    /** MAXALIGN(sizeof(XLogLongPageHeaderData)). */
    public static final int LONG_PAGE_HEADER_SIZE = 40;

    public static final int XLP_FIRST_IS_CONTRECORD = 0x0001;
    public static final int XLP_LONG_HEADER = 0x0002;
    /** Backup blocks on this page are optional (set while no base backup runs); PostgreSQL 17 still has it. */
    public static final int XLP_BKP_REMOVABLE = 0x0004;

    public static final int XLP_FIRST_IS_OVERWRITE_CONTRECORD = 0x0008;
    public static final int XLP_ALL_FLAGS = 0x000F;

    /** SizeOfXLogRecord: the fixed record header. */
    public static final int RECORD_HEADER_SIZE = 24;
    /** XLogRecordMaxSize: PostgreSQL never writes a longer record. */
    public static final int MAX_RECORD_SIZE = 1020 * 1024 * 1024;

    public static final int RMGR_XLOG = 0;
    /** XLOG_SWITCH: the rest of the segment after this record is unused. */
    public static final int XLOG_SWITCH = 0x40;

    public static long alignUp(long value) {
        return (value + 7) & ~7L;
    }
}
