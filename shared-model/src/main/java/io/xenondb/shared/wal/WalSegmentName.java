package io.xenondb.shared.wal;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;

/**
 * The name of a 16 MiB WAL segment file: timeline ID and segment number, written as PostgreSQL does, e.g.
 * {@code 000000010000000000000001} (8 hex digits of timeline, then the segment number split into the high
 * 32 bits of the LSN and the segment within that 4 GiB range).
 */
public record WalSegmentName(long timeline, long segmentNumber) implements Comparable<WalSegmentName> {
    /** Length of a segment file name (XLOG_FNAME_LEN). */
    public static final int LENGTH = 24;

    private static final long SEGMENTS_PER_XLOG_ID = 0x1_0000_0000L / Lsn.WAL_SEGMENT_SIZE;
    private static final long MAX_SEGMENT_NUMBER = Long.divideUnsigned(-1L, Lsn.WAL_SEGMENT_SIZE);

    public WalSegmentName {
        if (timeline < 1 || timeline > 0xFFFF_FFFFL) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "wal segment timeline: " + timeline + " (expected: 1..4294967295)");
        }
        if (segmentNumber < 0 || segmentNumber > MAX_SEGMENT_NUMBER) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "wal segment number: " + segmentNumber + " (expected: 0.." + MAX_SEGMENT_NUMBER + ")");
        }
    }

    /** The segment of {@code timeline} that holds {@code lsn}. */
    public static WalSegmentName of(long timeline, Lsn lsn) {
        return new WalSegmentName(timeline, lsn.segmentNumber());
    }

    /** Parses a 24-digit upper-case hex segment file name; anything else is an {@code INVALID_ARGUMENT}. */
    public static WalSegmentName parse(String text) {
        if (!isSegmentName(text)) {
            throw invalid(text);
        }
        long timeline = Long.parseLong(text, 0, 8, 16);
        long xlogId = Long.parseLong(text, 8, 16, 16);
        long segmentInXlogId = Long.parseLong(text, 16, 24, 16);
        if (segmentInXlogId >= SEGMENTS_PER_XLOG_ID || timeline == 0) {
            throw invalid(text);
        }
        return new WalSegmentName(timeline, xlogId * SEGMENTS_PER_XLOG_ID + segmentInXlogId);
    }

    /** Whether {@code text} has the shape of a segment file name (24 upper-case hex digits). */
    public static boolean isSegmentName(String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static XenonException invalid(String text) {
        return new XenonException(
                ErrorCode.INVALID_ARGUMENT,
                "wal segment name: " + text + " (expected: 24 upper-case hex digits TTTTTTTTXXXXXXXX000000SS,"
                        + " timeline >= 1, SS < "
                        + Long.toHexString(SEGMENTS_PER_XLOG_ID).toUpperCase() + ")");
    }

    /** The LSN of the segment's first byte. */
    public Lsn startLsn() {
        return Lsn.ofSegment(segmentNumber, Lsn.WAL_SEGMENT_SIZE);
    }

    /** The LSN just after the segment's last byte. */
    public Lsn endLsn() {
        return startLsn().plus(Lsn.WAL_SEGMENT_SIZE);
    }

    public WalSegmentName next() {
        return new WalSegmentName(timeline, segmentNumber + 1);
    }

    public boolean contains(Lsn lsn) {
        return lsn.segmentNumber() == segmentNumber;
    }

    @Override
    public String toString() {
        return String.format(
                "%08X%08X%08X", timeline, segmentNumber / SEGMENTS_PER_XLOG_ID, segmentNumber % SEGMENTS_PER_XLOG_ID);
    }

    @Override
    public int compareTo(WalSegmentName other) {
        int byTimeline = Long.compare(timeline, other.timeline);
        return byTimeline != 0 ? byTimeline : Long.compare(segmentNumber, other.segmentNumber);
    }
}
