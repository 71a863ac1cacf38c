package io.xenondb.walnode.consensus.storage;

import com.google.protobuf.ByteString;
import io.xenondb.shared.lsn.Lsn;

/**
 * The WAL bytes of one timeline on one WAL node: a contiguous range {@code [startLsn, writeLsn)} of which
 * {@code [startLsn, flushLsn)} is durable. Not thread-safe: the acceptor calls it from one thread at a time.
 *
 * <p>Durability contract, which the consensus relies on: bytes below {@link #flushLsn} survive a crash;
 * bytes between flush and write LSN may be lost, wholly or all but a prefix; after a restart the flush LSN is
 * whatever recovery finds (it may include such a surviving prefix).
 */
public interface WalStore {
    /** First LSN held locally. */
    Lsn startLsn();

    /** End of the WAL written, durable or not. */
    Lsn writeLsn();

    /** End of the durable WAL. */
    Lsn flushLsn();

    /** Writes {@code data} at {@code begin}, which must equal {@link #writeLsn}; not durable until {@link #flush}. */
    void write(Lsn begin, ByteString data);

    /**
     * Makes everything written durable (one fsync for all writes since the last) and returns the flush LSN. The
     * flush LSN is a record boundary: a store that keeps whole records only (as recovery does) may return less
     * than {@link #writeLsn} while the last record is still incomplete, so an acknowledgement never covers half a
     * record.
     */
    Lsn flush();

    /**
     * Durably cuts the WAL at {@code end}, {@code startLsn <= end <= flushLsn}: everything at and after it,
     * durable or not, is gone and never comes back, even after a crash. Afterwards write and flush LSN equal it.
     */
    void truncate(Lsn end);

    /** Up to {@code maxBytes} bytes from {@code begin} (between start and write LSN), fewer at the end. */
    ByteString read(Lsn begin, int maxBytes);
}
