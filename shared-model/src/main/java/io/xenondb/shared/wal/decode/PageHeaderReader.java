package io.xenondb.shared.wal.decode;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.internal.LittleEndian;
import io.xenondb.shared.wal.internal.WalFormat;

/**
 * Collects and validates one WAL page header (short, or long on a segment's first page) as its bytes arrive,
 * and remembers what later pages must agree with: the system identifier and a timeline that never goes back.
 */
final class PageHeaderReader {
    /** Why the decoder reads this page header. */
    enum Role {
        /** The decoder started here: a record continued from earlier pages is skipped. */
        START,
        /** A new record starts after this header. */
        RECORD,
        /** The record being assembled continues after this header. */
        CONTINUATION
    }

    /** A complete page header: the end of the WAL, a problem, or a valid header's fields. */
    record Outcome(
            long pagePtr,
            int headerSize,
            int info,
            long remainingLength,
            boolean endOfWal,
            WalDecodeException problem) {
        boolean continuation() {
            return (info & WalFormat.XLP_FIRST_IS_CONTRECORD) != 0;
        }

        boolean overwritesContinuation() {
            return (info & WalFormat.XLP_FIRST_IS_OVERWRITE_CONTRECORD) != 0;
        }
    }

    private final byte[] buf = new byte[WalFormat.LONG_PAGE_HEADER_SIZE];
    private int got;
    private int want;
    private long pagePtr;
    private Role role;
    private Outcome outcome;
    private long systemId;
    private boolean haveSystemId;
    private long latestTimeline;

    void begin(long pagePtr, Role role) {
        this.pagePtr = pagePtr;
        this.role = role;
        got = 0;
        want = WalFormat.SHORT_PAGE_HEADER_SIZE;
        outcome = null;
    }

    Role role() {
        return role;
    }

    boolean complete() {
        return outcome != null;
    }

    Outcome outcome() {
        return outcome;
    }

    /** Takes up to {@code len} bytes of the header; returns how many it used. */
    int accept(byte[] b, int off, int len) {
        int n = Math.min(len, want - got);
        System.arraycopy(b, off, buf, got, n);
        got += n;
        if (got == WalFormat.SHORT_PAGE_HEADER_SIZE && want == WalFormat.SHORT_PAGE_HEADER_SIZE) {
            if (isUnwrittenPage()) {
                outcome = new Outcome(pagePtr, 0, 0, 0, true, null);
                return n;
            }
            int magic = LittleEndian.u16(buf, 0);
            int info = LittleEndian.u16(buf, 2);
            if (magic == WalFormat.PAGE_MAGIC && (info & WalFormat.XLP_LONG_HEADER) != 0) {
                want = WalFormat.LONG_PAGE_HEADER_SIZE;
            }
        }
        if (got == want) {
            outcome = validate();
        }
        return n;
    }

    /**
     * A page PostgreSQL has not written yet: all zeros (a fresh segment) or, in a recycled segment, a valid
     * header from an older position in the WAL.
     */
    private boolean isUnwrittenPage() {
        boolean allZero = true;
        for (int i = 0; i < WalFormat.SHORT_PAGE_HEADER_SIZE && allZero; i++) {
            allZero = buf[i] == 0;
        }
        if (allZero) {
            return true;
        }
        long pageAddress = LittleEndian.i64(buf, 8);
        return LittleEndian.u16(buf, 0) == WalFormat.PAGE_MAGIC && Long.compareUnsigned(pageAddress, pagePtr) < 0;
    }

    private Outcome validate() {
        int magic = LittleEndian.u16(buf, 0);
        int info = LittleEndian.u16(buf, 2);
        long timeline = LittleEndian.u32(buf, 4);
        long pageAddress = LittleEndian.i64(buf, 8);
        long remaining = LittleEndian.u32(buf, 16);
        if (magic != WalFormat.PAGE_MAGIC) {
            return problem(String.format("invalid magic number %04X (expected %04X)", magic, WalFormat.PAGE_MAGIC));
        }
        if ((info & ~WalFormat.XLP_ALL_FLAGS) != 0) {
            return problem(String.format("invalid info bits %04X (expected only %04X)", info, WalFormat.XLP_ALL_FLAGS));
        }
        if ((info & WalFormat.XLP_LONG_HEADER) != 0) {
            long sysid = LittleEndian.i64(buf, 24);
            long segmentSize = LittleEndian.u32(buf, 32);
            long blockSize = LittleEndian.u32(buf, 36);
            if (haveSystemId && sysid != systemId) {
                return problem("WAL is from a different database system: system identifier "
                        + Long.toUnsignedString(sysid) + " (expected " + Long.toUnsignedString(systemId) + ")");
            }
            if (segmentSize != WalFormat.SEGMENT_SIZE) {
                return problem("segment size " + segmentSize + " in long page header (expected "
                        + WalFormat.SEGMENT_SIZE + ")");
            }
            if (blockSize != WalFormat.PAGE_SIZE) {
                return problem(
                        "XLOG_BLCKSZ " + blockSize + " in long page header (expected " + WalFormat.PAGE_SIZE + ")");
            }
            systemId = sysid;
            haveSystemId = true;
        } else if ((pagePtr & (WalFormat.SEGMENT_SIZE - 1)) == 0) {
            return problem(String.format("first page of a segment has info bits %04X without a long header", info));
        }
        if (pageAddress != pagePtr) {
            return problem("unexpected pageaddr " + Lsn.of(pageAddress));
        }
        if (timeline < latestTimeline) {
            return problem("out-of-sequence timeline ID " + timeline + " (after " + latestTimeline + ")");
        }
        latestTimeline = timeline;
        int headerSize = (info & WalFormat.XLP_LONG_HEADER) != 0
                ? WalFormat.LONG_PAGE_HEADER_SIZE
                : WalFormat.SHORT_PAGE_HEADER_SIZE;
        return new Outcome(pagePtr, headerSize, info, remaining, false, null);
    }

    private Outcome problem(String what) {
        return new Outcome(
                pagePtr,
                0,
                0,
                0,
                false,
                new WalDecodeException(Lsn.of(pagePtr), Reason.INVALID_PAGE_HEADER, "page header: " + what));
    }
}
