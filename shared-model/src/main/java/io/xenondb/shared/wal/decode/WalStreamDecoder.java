package io.xenondb.shared.wal.decode;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.internal.LittleEndian;
import io.xenondb.shared.wal.internal.WalFormat;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Decodes a WAL byte stream fed in chunks of any size, starting at a given LSN, and hands out each record as
 * soon as its last byte arrives.
 *
 * <p>The start LSN may be a page or segment start (a record continued from the previous page is skipped, as
 * PostgreSQL's XLogFindNextRecord does) or a record boundary: the start or the end of a record (unaligned
 * ends are rounded up to the 8-byte alignment where the next record starts).
 *
 * <p>Three outcomes are kept apart: "need more bytes" ({@link #poll()} returns null while {@link #state()}
 * is {@link State#DECODING}), "clean end of WAL" ({@link State#END_OF_WAL}: an all-zero record header where
 * the next record would start, or a zeroed or recycled page where a page header is expected) and "corrupt"
 * ({@link State#FAILED}: {@link #poll()} throws the {@link WalDecodeException} after handing out every record
 * decoded before the damage). Every length taken from the input is checked before use, and memory grows only
 * with the bytes actually fed. Not thread-safe.
 */
public final class WalStreamDecoder {
    /** Where decoding stands. */
    public enum State {
        /** Decoding; more input may complete more records. */
        DECODING,
        /** The WAL ended cleanly at {@link #nextRecordLsn()}; further input is ignored. */
        END_OF_WAL,
        /** The input is corrupt; {@link #poll()} throws once the records before the damage are drained. */
        FAILED
    }

    private enum Phase {
        SKIP,
        PAGE_HEADER,
        RECORD,
        DONE
    }

    private static final int PAGE_MASK = WalFormat.PAGE_SIZE - 1;
    private static final long SEGMENT_MASK = WalFormat.SEGMENT_SIZE - 1;

    private final ArrayDeque<DecodedRecord> ready = new ArrayDeque<>();
    private final PageHeaderReader pages = new PageHeaderReader();
    private final RecordAssembler assembler = new RecordAssembler();
    private State state = State.DECODING;
    private WalDecodeException failure;
    private Phase phase;

    /** LSN of the next input byte. */
    private long pos;

    private long skipTarget;
    private boolean skipToPageStart;

    /** Start of the record being assembled, or of the next one. */
    private long recStart;

    private long prevRecStart;
    private boolean havePrev;

    /**
     * A decoder whose first input byte is at {@code start}.
     *
     * @throws XenonException ({@code INVALID_LSN}) if {@code start} lies inside a page header
     */
    public WalStreamDecoder(Lsn start) {
        long s = Objects.requireNonNull(start, "start").value();
        pos = s;
        int pageOffset = (int) (s & PAGE_MASK);
        if (pageOffset == 0) {
            recStart = s;
            enterPageHeader(PageHeaderReader.Role.START);
            return;
        }
        int minOffset = (s & SEGMENT_MASK) < WalFormat.PAGE_SIZE
                ? WalFormat.LONG_PAGE_HEADER_SIZE
                : WalFormat.SHORT_PAGE_HEADER_SIZE;
        if (pageOffset < minOffset) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN,
                    "wal decoder start lsn: " + start + " lies inside a page header (expected: a page start or a"
                            + " record boundary at page offset >= " + minOffset + ")");
        }
        recStart = WalFormat.alignUp(s);
        startSkip(recStart, false);
    }

    /** Feeds the next {@code length} bytes of the stream. Never throws for bad bytes: see {@link #poll()}. */
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int off = offset;
        int len = length;
        while (len > 0 && state == State.DECODING) {
            int used = switch (phase) {
                case SKIP -> skip(len);
                case PAGE_HEADER -> pageHeader(bytes, off, len);
                case RECORD -> record(bytes, off, len);
                case DONE -> len;
            };
            off += used;
            len -= used;
        }
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** Feeds the buffer's remaining bytes and consumes them. */
    public void feed(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            feed(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            buffer.position(buffer.limit());
        } else {
            byte[] chunk = new byte[Math.min(buffer.remaining(), 64 * 1024)];
            while (buffer.hasRemaining()) {
                int n = Math.min(chunk.length, buffer.remaining());
                buffer.get(chunk, 0, n);
                feed(chunk, 0, n);
            }
        }
    }

    /**
     * The next complete record, or null if none is ready (more input needed, or the WAL ended).
     *
     * @throws WalDecodeException once every record before a corruption has been handed out
     */
    public DecodedRecord poll() {
        DecodedRecord next = ready.poll();
        if (next == null && failure != null) {
            throw failure;
        }
        return next;
    }

    /** Whether {@link #poll()} has a record to return. */
    public boolean hasRecord() {
        return !ready.isEmpty();
    }

    public State state() {
        return state;
    }

    /** The LSN of the next byte the decoder expects. */
    public Lsn position() {
        return Lsn.of(pos);
    }

    /**
     * Where the record being assembled starts, or where the next one will; after {@link State#END_OF_WAL},
     * the end of the WAL (a torn last record is not part of it).
     */
    public Lsn nextRecordLsn() {
        return Lsn.of(recStart);
    }

    /**
     * Whether a record has begun but not all of its bytes have arrived. A few zero bytes where a record header
     * would start do not count: they may as well be the start of the unwritten rest of the WAL.
     */
    public boolean isInsideRecord() {
        if (state != State.DECODING) {
            return false;
        }
        return switch (phase) {
            case RECORD -> assembler.started();
            case PAGE_HEADER -> pages.role() == PageHeaderReader.Role.CONTINUATION;
            default -> false;
        };
    }

    /**
     * Declares that no more input will come. If a record was only partly fed, decoding fails with
     * {@link Reason#TRUNCATED} at that record's LSN ({@link #poll()} throws it after the complete records).
     */
    public void endOfInput(String why) {
        if (isInsideRecord()) {
            long total = assembler.totalLength();
            fail(new WalDecodeException(
                    Lsn.of(recStart),
                    Reason.TRUNCATED,
                    "input ends inside the record after " + assembler.got() + (total > 0 ? " of " + total : "")
                            + " bytes (" + why + ")"));
        }
    }

    private int skip(int len) {
        long remaining = skipTarget - pos;
        int n = (int) Math.min(len, remaining);
        pos += n;
        if (pos == skipTarget) {
            afterSkip();
        }
        return n;
    }

    private void startSkip(long target, boolean toPageStart) {
        phase = Phase.SKIP;
        skipTarget = target;
        skipToPageStart = toPageStart;
        if (pos == target) {
            afterSkip();
        }
    }

    private void afterSkip() {
        if (skipToPageStart) {
            recStart = pos;
            enterPageHeader(PageHeaderReader.Role.START);
        } else {
            beginRecord();
        }
    }

    private void beginRecord() {
        recStart = pos;
        if ((pos & PAGE_MASK) == 0) {
            enterPageHeader(PageHeaderReader.Role.RECORD);
        } else {
            startRecordHeader();
        }
    }

    private void startRecordHeader() {
        recStart = pos;
        phase = Phase.RECORD;
        assembler.begin(recStart, havePrev, prevRecStart);
    }

    private void enterPageHeader(PageHeaderReader.Role role) {
        phase = Phase.PAGE_HEADER;
        pages.begin(pos, role);
    }

    private int pageHeader(byte[] b, int off, int len) {
        int used = pages.accept(b, off, len);
        pos += used;
        if (!pages.complete()) {
            return used;
        }
        PageHeaderReader.Outcome outcome = pages.outcome();
        if (outcome.endOfWal()) {
            endOfWal();
        } else if (outcome.problem() != null) {
            fail(outcome.problem());
        } else {
            afterPageHeader(outcome);
        }
        return used;
    }

    private void afterPageHeader(PageHeaderReader.Outcome page) {
        long pagePtr = page.pagePtr();
        switch (pages.role()) {
            case START -> {
                if (!page.continuation()) {
                    startRecordHeader();
                } else if (WalFormat.alignUp(page.remainingLength()) >= WalFormat.PAGE_SIZE - page.headerSize()) {
                    startSkip(pagePtr + WalFormat.PAGE_SIZE, true);
                } else {
                    recStart = pagePtr + page.headerSize() + WalFormat.alignUp(page.remainingLength());
                    startSkip(recStart, false);
                }
            }
            case RECORD -> {
                if (page.continuation()) {
                    fail(new WalDecodeException(
                            Lsn.of(pagePtr),
                            Reason.INVALID_CONTINUATION,
                            "page continues a record (xlp_rem_len " + page.remainingLength()
                                    + ") where a new record should start"));
                } else {
                    startRecordHeader();
                }
            }
            case CONTINUATION -> continueRecord(page);
        }
    }

    private void continueRecord(PageHeaderReader.Outcome page) {
        if (page.overwritesContinuation()) {
            // PostgreSQL abandoned the torn record and wrote a new one here (XLP_FIRST_IS_OVERWRITE_CONTRECORD).
            startRecordHeader();
            return;
        }
        long got = assembler.got();
        long totLen = assembler.totalLength();
        if (!page.continuation()) {
            fail(new WalDecodeException(
                    Lsn.of(recStart),
                    Reason.INVALID_CONTINUATION,
                    "there is no contrecord flag on page " + Lsn.of(page.pagePtr()) + " after " + got + " of " + totLen
                            + " record bytes"));
        } else if (page.remainingLength() == 0 || page.remainingLength() != totLen - got) {
            fail(new WalDecodeException(
                    Lsn.of(recStart),
                    Reason.INVALID_CONTINUATION,
                    "invalid contrecord length " + page.remainingLength() + " on page " + Lsn.of(page.pagePtr())
                            + " (expected " + (totLen - got) + ")"));
        } else {
            phase = Phase.RECORD;
        }
    }

    private int record(byte[] b, int off, int len) {
        int onPage = WalFormat.PAGE_SIZE - (int) (pos & PAGE_MASK);
        int used;
        try {
            used = assembler.accept(b, off, Math.min(len, onPage));
        } catch (WalDecodeException e) {
            fail(e);
            return len;
        }
        pos += used;
        switch (assembler.status()) {
            case END_OF_WAL -> endOfWal();
            case COMPLETE -> completeRecord(assembler.take());
            case IN_PROGRESS -> {
                if ((pos & PAGE_MASK) == 0) {
                    enterPageHeader(PageHeaderReader.Role.CONTINUATION);
                }
            }
        }
        return used;
    }

    private void completeRecord(byte[] raw) {
        long end = WalFormat.alignUp(pos);
        int rmid = LittleEndian.u8(raw, 17);
        int info = LittleEndian.u8(raw, 16);
        if (rmid == WalFormat.RMGR_XLOG && (info & DecodedRecord.RMGR_INFO_MASK) == WalFormat.XLOG_SWITCH) {
            end = (end + SEGMENT_MASK) & ~SEGMENT_MASK;
        }
        DecodedRecord record;
        try {
            record = DecodedRecord.decode(Lsn.of(recStart), Lsn.of(end), raw);
        } catch (WalDecodeException e) {
            fail(e);
            return;
        }
        ready.add(record);
        prevRecStart = recStart;
        havePrev = true;
        recStart = end;
        startSkip(end, false);
    }

    private void endOfWal() {
        state = State.END_OF_WAL;
        phase = Phase.DONE;
    }

    private void fail(WalDecodeException e) {
        state = State.FAILED;
        phase = Phase.DONE;
        failure = e;
    }
}
