package io.xenondb.shared.wal.decode;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.internal.LittleEndian;
import io.xenondb.shared.wal.internal.WalFormat;
import io.xenondb.shared.wal.record.ResourceManager;
import java.util.Arrays;

/**
 * Collects one record's bytes as they arrive (the caller strips page headers): checks the header as soon as
 * its bytes are in, recognises the all-zero header that ends the WAL, and grows its buffer only with the bytes
 * actually received, so a garbage length cannot allocate a gigabyte.
 */
final class RecordAssembler {
    enum Status {
        IN_PROGRESS,
        COMPLETE,
        END_OF_WAL
    }

    private final byte[] header = new byte[WalFormat.RECORD_HEADER_SIZE];
    private long recStart;
    private boolean havePrev;
    private long prevRecStart;
    private int headerGot;
    private int headerBytesOnFirstPage;
    private long totalLength;
    private byte[] buf;
    private int got;
    private Status status;

    /** Starts a record at {@code recStart}; {@code prevRecStart} is checked against xl_prev if known. */
    void begin(long recStart, boolean havePrev, long prevRecStart) {
        this.recStart = recStart;
        this.havePrev = havePrev;
        this.prevRecStart = prevRecStart;
        headerGot = 0;
        headerBytesOnFirstPage = (int)
                Math.min(WalFormat.RECORD_HEADER_SIZE, WalFormat.PAGE_SIZE - (recStart & (WalFormat.PAGE_SIZE - 1)));
        totalLength = 0;
        buf = null;
        got = 0;
        status = Status.IN_PROGRESS;
    }

    Status status() {
        return status;
    }

    /** Record bytes received so far. */
    long got() {
        return buf == null ? headerGot : got;
    }

    /** xl_tot_len once known (0 before). */
    long totalLength() {
        return totalLength;
    }

    /** Whether a non-zero byte of this record has arrived: a few zeros may be the unwritten end of the WAL. */
    boolean started() {
        if (buf != null) {
            return true;
        }
        for (int i = 0; i < headerGot; i++) {
            if (header[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes up to {@code len} record bytes (all from one page) and returns how many it used.
     *
     * @throws WalDecodeException if the header is invalid
     */
    int accept(byte[] b, int off, int len) {
        int used = 0;
        if (buf == null) {
            int n = Math.min(len, WalFormat.RECORD_HEADER_SIZE - headerGot);
            System.arraycopy(b, off, header, headerGot, n);
            int before = headerGot;
            headerGot += n;
            used = n;
            if (before < headerBytesOnFirstPage && headerGot >= headerBytesOnFirstPage && !checkLength()) {
                return used;
            }
            if (headerGot < WalFormat.RECORD_HEADER_SIZE) {
                return used;
            }
            headerComplete();
            if (status == Status.COMPLETE) {
                return used;
            }
        }
        int n = (int) Math.min(len - used, totalLength - got);
        if (got + n > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(totalLength, Math.max(2L * buf.length, got + n)));
        }
        System.arraycopy(b, off + used, buf, got, n);
        got += n;
        if (got == totalLength) {
            status = Status.COMPLETE;
        }
        return used + n;
    }

    /** The complete record's bytes. */
    byte[] take() {
        byte[] raw = buf.length == totalLength ? buf : Arrays.copyOf(buf, (int) totalLength);
        buf = null;
        return raw;
    }

    /** Checks xl_tot_len once the header bytes on the record's first page are in; false if the WAL ended. */
    private boolean checkLength() {
        totalLength = LittleEndian.u32(header, 0);
        if (totalLength == 0) {
            for (int i = 0; i < headerBytesOnFirstPage; i++) {
                if (header[i] != 0) {
                    throw problem("invalid record length 0 in a header that is not all zeros");
                }
            }
            status = Status.END_OF_WAL;
            return false;
        }
        if (totalLength < WalFormat.RECORD_HEADER_SIZE || totalLength > WalFormat.MAX_RECORD_SIZE) {
            throw problem("invalid record length " + totalLength + " (expected: " + WalFormat.RECORD_HEADER_SIZE + ".."
                    + WalFormat.MAX_RECORD_SIZE + ")");
        }
        return true;
    }

    private void headerComplete() {
        int rmid = LittleEndian.u8(header, 17);
        long prev = LittleEndian.i64(header, 8);
        if (ResourceManager.ofId(rmid).isEmpty()) {
            throw problem("invalid resource manager ID " + rmid + " (expected: 0..21 or 128..255)");
        }
        if (havePrev ? prev != prevRecStart : Long.compareUnsigned(prev, recStart) >= 0) {
            throw problem("record with incorrect prev-link " + Lsn.of(prev) + " (expected "
                    + (havePrev ? Lsn.of(prevRecStart).toString() : "an earlier lsn") + ")");
        }
        buf = new byte[(int) Math.min(totalLength, 4L * WalFormat.PAGE_SIZE)];
        System.arraycopy(header, 0, buf, 0, WalFormat.RECORD_HEADER_SIZE);
        got = WalFormat.RECORD_HEADER_SIZE;
        if (got == totalLength) {
            status = Status.COMPLETE;
        }
    }

    private WalDecodeException problem(String what) {
        return new WalDecodeException(Lsn.of(recStart), Reason.INVALID_RECORD_HEADER, what);
    }
}
