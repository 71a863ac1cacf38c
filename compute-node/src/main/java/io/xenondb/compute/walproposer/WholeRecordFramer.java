package io.xenondb.compute.walproposer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.decode.WalStreamDecoder;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Cuts the replication byte stream at record boundaries: bytes are handed on only up to the (8-byte aligned)
 * end of the last complete record, where PostgreSQL's own synchronous replication waits. So every WAL-node
 * flush LSN, and with it every commit LSN and term start, is a record boundary — which the WAL nodes'
 * recovery and the next compute's start rely on. Not thread-safe.
 */
final class WholeRecordFramer {
    private final WalStreamDecoder decoder;
    private final ArrayDeque<Lsn> recordEnds = new ArrayDeque<>();
    private Lsn received;
    private Lsn forwarded;
    // The bytes [forwarded, received).
    private ByteString pending = ByteString.EMPTY;

    /** A framer for a stream starting at {@code start}: a record boundary or a page start. */
    WholeRecordFramer(Lsn start) {
        this.decoder = new WalStreamDecoder(start);
        this.received = start;
        this.forwarded = start;
    }

    /**
     * Takes the next stream bytes, which must start at {@link #received()}, and returns the bytes from
     * {@link #forwarded()} up to the last record end now complete (often empty).
     *
     * @throws XenonException {@code INVALID_LSN} for a gap or overlap, {@code WAL_CORRUPT} for WAL that does not
     *     decode or ends
     */
    ByteString accept(Lsn begin, ByteBuffer data) {
        if (!begin.equals(received)) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN,
                    "replication data at " + begin + " (expected: " + received + ", where the previous data ended)");
        }
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        decoder.feed(bytes);
        received = received.plus(bytes.length);
        // The array is never touched again.
        pending = pending.concat(UnsafeByteOperations.unsafeWrap(bytes));
        DecodedRecord record;
        while ((record = decoder.poll()) != null) {
            recordEnds.addLast(record.endLsn());
        }
        if (decoder.state() == WalStreamDecoder.State.END_OF_WAL) {
            throw new XenonException(
                    ErrorCode.WAL_CORRUPT,
                    "replication data ends the WAL at " + decoder.nextRecordLsn()
                            + " (expected: records, PostgreSQL sends only WAL it wrote)");
        }
        Lsn cut = forwarded;
        // A record's end includes its alignment padding (a switch record: the rest of the segment), which
        // may arrive later than the record itself.
        while (!recordEnds.isEmpty() && !recordEnds.peekFirst().isAfter(received)) {
            cut = recordEnds.pollFirst();
        }
        if (cut.equals(forwarded)) {
            return ByteString.EMPTY;
        }
        int length = (int) cut.minus(forwarded);
        ByteString out = pending.substring(0, length);
        pending = pending.substring(length);
        forwarded = cut;
        return out;
    }

    /** End of the bytes taken. */
    Lsn received() {
        return received;
    }

    /** End of the bytes handed on: the last record boundary reached. */
    Lsn forwarded() {
        return forwarded;
    }
}
