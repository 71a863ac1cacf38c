package io.xenondb.walnode.timeline;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.storage.InMemoryWalStore;
import io.xenondb.walnode.consensus.storage.WalStore;

/** An in-memory WAL store that counts flushes (fsyncs) and can be told to fail the next one, as a bad disk does. */
final class CountingWalStore implements WalStore {
    private final InMemoryWalStore delegate;
    private int flushes;
    private boolean failNextFlush;

    CountingWalStore(Lsn start) {
        delegate = new InMemoryWalStore(start);
    }

    int flushes() {
        return flushes;
    }

    void failNextFlush() {
        failNextFlush = true;
    }

    @Override
    public Lsn startLsn() {
        return delegate.startLsn();
    }

    @Override
    public Lsn writeLsn() {
        return delegate.writeLsn();
    }

    @Override
    public Lsn flushLsn() {
        return delegate.flushLsn();
    }

    @Override
    public void write(Lsn begin, ByteString data) {
        delegate.write(begin, data);
    }

    @Override
    public Lsn flush() {
        if (failNextFlush) {
            failNextFlush = false;
            throw new XenonException(ErrorCode.UNAVAILABLE, "fsync of test segment failed: EIO");
        }
        flushes++;
        return delegate.flush();
    }

    @Override
    public void truncate(Lsn end) {
        delegate.truncate(end);
    }

    @Override
    public ByteString read(Lsn begin, int maxBytes) {
        return delegate.read(begin, maxBytes);
    }
}
