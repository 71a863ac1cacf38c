package io.xenondb.walnode.storage;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.decode.WalStreamDecoder;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.util.ArrayDeque;

/**
 * Follows the WAL as it is written and knows where the last wholly written record ends (Neon's
 * {@code write_record_lsn}). The proposer may split a record over several appends (an append carries at most
 * 128 KiB), but a flush LSN must be a record boundary: recovery after a restart finds only complete records,
 * and it must find at least everything acknowledged. Validates the WAL on the way: bytes that are not WAL are
 * refused before they reach the disk.
 */
final class RecordBoundaries {
    private final ArrayDeque<Lsn> endsAhead = new ArrayDeque<>();
    private WalStreamDecoder decoder;
    private Lsn last;

    /** Starts at {@code boundary}, the end of a record (or the timeline start). */
    RecordBoundaries(Lsn boundary) {
        restart(boundary, ByteString.EMPTY);
    }

    /** The end of the last record whose bytes have all been written. */
    Lsn last() {
        return last;
    }

    /**
     * Takes the next written bytes, which start where the previous ones ended.
     *
     * @throws XenonException {@code INVALID_ARGUMENT} if they are not valid WAL; this object must then be
     *     {@link #restart}ed before further use
     */
    void accept(Lsn begin, ByteString data) {
        decoder.feed(data.asReadOnlyByteBuffer());
        try {
            DecodedRecord record;
            while ((record = decoder.poll()) != null) {
                // A SWITCH record ends at the segment end: its padding may arrive later.
                endsAhead.add(record.endLsn());
            }
        } catch (WalDecodeException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "wal write at " + begin + " of " + data.size() + " bytes: not valid WAL: " + e.getMessage(),
                    e);
        }
        if (decoder.state() == WalStreamDecoder.State.END_OF_WAL) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "wal write at " + begin + " of " + data.size() + " bytes: the WAL ends at "
                            + decoder.nextRecordLsn() + " (expected: records or a record's continuation, not zeros)");
        }
        Lsn written = begin.plus(data.size());
        while (!endsAhead.isEmpty() && !endsAhead.peek().isAfter(written)) {
            last = endsAhead.poll();
        }
    }

    /** Starts over at {@code boundary}, then takes {@code since}: the bytes written after it so far. */
    void restart(Lsn boundary, ByteString since) {
        decoder = new WalStreamDecoder(boundary);
        endsAhead.clear();
        last = boundary;
        if (!since.isEmpty()) {
            accept(boundary, since);
        }
    }
}
