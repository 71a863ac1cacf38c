package io.xenondb.walnode.consensus.storage;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.util.Arrays;
import java.util.Random;

/**
 * A {@link WalStore} in memory that models crashes honestly: {@link #crash} loses unflushed writes, possibly
 * keeping a torn prefix of them, as a power loss can with a file whose tail was partly written back.
 */
public final class InMemoryWalStore implements WalStore {
    private final Lsn start;
    private byte[] bytes = new byte[256];
    private int written;
    private int flushed;

    public InMemoryWalStore(Lsn startLsn) {
        if (!startLsn.isValid()) {
            throw new XenonException(ErrorCode.INVALID_LSN, "wal start: " + startLsn + " (expected: a valid lsn)");
        }
        this.start = startLsn;
    }

    @Override
    public Lsn startLsn() {
        return start;
    }

    @Override
    public Lsn writeLsn() {
        return start.plus(written);
    }

    @Override
    public Lsn flushLsn() {
        return start.plus(flushed);
    }

    @Override
    public void write(Lsn begin, ByteString data) {
        if (!begin.equals(writeLsn())) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN, "wal write at " + begin + " (expected: the write lsn " + writeLsn() + ")");
        }
        if (written + (long) data.size() > Integer.MAX_VALUE - 8) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "in-memory wal store is full at " + writeLsn());
        }
        if (written + data.size() > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, written + data.size()));
        }
        data.copyTo(bytes, written);
        written += data.size();
    }

    @Override
    public Lsn flush() {
        flushed = written;
        return flushLsn();
    }

    @Override
    public void truncate(Lsn end) {
        if (end.isBefore(start) || end.isAfter(flushLsn())) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN,
                    "wal truncate at " + end + " (expected: between " + start + " and the flush lsn " + flushLsn()
                            + ")");
        }
        int keep = (int) end.minus(start);
        Arrays.fill(bytes, keep, written, (byte) 0);
        written = keep;
        flushed = keep;
    }

    @Override
    public ByteString read(Lsn begin, int maxBytes) {
        if (begin.isBefore(start) || begin.isAfter(writeLsn()) || maxBytes < 0) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN,
                    "wal read at " + begin + " (expected: between " + start + " and " + writeLsn() + ")");
        }
        int from = (int) begin.minus(start);
        return ByteString.copyFrom(bytes, from, Math.min(maxBytes, written - from));
    }

    /**
     * A power loss: unflushed bytes are lost except a prefix of random length (possibly all or none), which
     * recovery then finds as durable WAL.
     */
    public void crash(Random random) {
        int survivors = written == flushed ? 0 : random.nextInt(written - flushed + 1);
        int keep = flushed + survivors;
        Arrays.fill(bytes, keep, written, (byte) 0);
        written = keep;
        flushed = keep;
    }
}
