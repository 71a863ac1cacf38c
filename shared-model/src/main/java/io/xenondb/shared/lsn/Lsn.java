package io.xenondb.shared.lsn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/**
 * A PostgreSQL log sequence number: a byte position in the WAL, an unsigned 64-bit value.
 *
 * <p>Its text form is Neon's and PostgreSQL's: the high and low 32 bits in upper-case hex joined by a slash,
 * e.g. {@code 0/16B5A50}. {@link #parse} also accepts lower-case hex; {@link #toString} is its inverse.
 */
public record Lsn(long value) implements Comparable<Lsn> {
    /** PostgreSQL's InvalidXLogRecPtr. */
    public static final Lsn INVALID = new Lsn(0);

    public static final Lsn MAX = new Lsn(-1L);

    /** WAL page size (XLOG_BLCKSZ). */
    public static final int WAL_PAGE_SIZE = 8192;

    /** Default WAL segment size; the only one Xenon uses. */
    public static final long WAL_SEGMENT_SIZE = 16L * 1024 * 1024;

    /** Records start at 8-byte boundaries (MAXALIGN on 64-bit platforms). */
    public static final int RECORD_ALIGNMENT = 8;

    public static Lsn of(long value) {
        return new Lsn(value);
    }

    /** Parses {@code X/X}; throws {@link XenonException} with {@link ErrorCode#INVALID_LSN} naming the text. */
    @JsonCreator
    public static Lsn parse(String text) {
        if (text == null) {
            throw invalid("null");
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw invalid(text);
        }
        long hi = parseHex32(text, 0, slash);
        long lo = parseHex32(text, slash + 1, text.length());
        return new Lsn((hi << 32) | lo);
    }

    private static long parseHex32(String text, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0 || text.charAt(i) > 'f') {
                throw invalid(text);
            }
            v = (v << 4) | digit;
        }
        return v;
    }

    private static XenonException invalid(String text) {
        return new XenonException(ErrorCode.INVALID_LSN, "lsn: " + text + " (expected: X/X hex, e.g. 0/16B5A50)");
    }

    @JsonValue
    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/"
                + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase();
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    public boolean isValid() {
        return value != 0;
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    public Lsn plus(long bytes) {
        long sum = value + bytes;
        if (bytes >= 0 ? Long.compareUnsigned(sum, value) < 0 : Long.compareUnsigned(sum, value) > 0) {
            throw new XenonException(ErrorCode.INVALID_LSN, "lsn: " + this + " + " + bytes + " overflows");
        }
        return new Lsn(sum);
    }

    /** Bytes from {@code earlier} to this LSN; throws if {@code earlier} is after this one. */
    public long minus(Lsn earlier) {
        if (earlier.isAfter(this)) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN, "lsn: " + earlier + " is after " + this + " (expected: an earlier lsn)");
        }
        return value - earlier.value;
    }

    public static Lsn max(Lsn a, Lsn b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public static Lsn min(Lsn a, Lsn b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The segment number this LSN falls in (XLByteToSeg). */
    public long segmentNumber(long segmentSize) {
        return Long.divideUnsigned(value, segmentSize);
    }

    public long segmentNumber() {
        return segmentNumber(WAL_SEGMENT_SIZE);
    }

    /** Offset of this LSN inside its segment (XLogSegmentOffset). */
    public long segmentOffset(long segmentSize) {
        return Long.remainderUnsigned(value, segmentSize);
    }

    public long segmentOffset() {
        return segmentOffset(WAL_SEGMENT_SIZE);
    }

    /** The LSN of the first byte of the segment {@code segmentNumber}. */
    public static Lsn ofSegment(long segmentNumber, long segmentSize) {
        return new Lsn(segmentNumber * segmentSize);
    }

    public Lsn segmentStart(long segmentSize) {
        return new Lsn(value - segmentOffset(segmentSize));
    }

    /** Offset of this LSN inside its 8 KiB WAL page. */
    public int pageOffset() {
        return (int) (value & (WAL_PAGE_SIZE - 1));
    }

    public Lsn pageStart() {
        return new Lsn(value & ~((long) WAL_PAGE_SIZE - 1));
    }

    public boolean isAtPageStart() {
        return pageOffset() == 0;
    }

    public boolean isAtSegmentStart(long segmentSize) {
        return segmentOffset(segmentSize) == 0;
    }

    /** Rounds up to the next multiple of {@code alignment} (a power of two). */
    public Lsn alignUp(int alignment) {
        long mask = alignment - 1L;
        return plus(((value + mask) & ~mask) - value);
    }

    public boolean isAligned(int alignment) {
        return (value & (alignment - 1L)) == 0;
    }
}
