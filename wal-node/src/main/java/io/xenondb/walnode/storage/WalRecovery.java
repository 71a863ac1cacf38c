package io.xenondb.walnode.storage;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.decode.WalStreamDecoder;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds where the durable WAL of a timeline directory ends after a restart. WAL arrives in whole records, so
 * every flush ended at a record boundary: the end is that of the last complete, valid record, found by
 * decoding from a known record boundary. Decoding starts at the beginning of the segment holding the persisted
 * commit LSN (or at the timeline start, if later), so the committed part of that segment is checked too. A
 * decode failure, a clean end or missing bytes at or after the commit LSN are the torn tail of an unflushed
 * write; below it they are corruption.
 */
final class WalRecovery {
    private static final int CHUNK = 64 * 1024;

    private final SegmentFiles files;
    private final Lsn start;
    private final Lsn commit;
    private final WalStreamDecoder decoder;
    private final Lsn scanFrom;
    private Lsn lastEnd;
    private WalDecodeException failure;

    private WalRecovery(SegmentFiles files, Lsn start, Lsn commit) {
        this.files = files;
        this.start = start;
        this.commit = commit;
        Lsn segmentStart = commit.segmentStart(SegmentFiles.SEGMENT_SIZE);
        this.scanFrom = Lsn.max(start, segmentStart);
        this.decoder = new WalStreamDecoder(scanFrom);
    }

    /**
     * The end of the intact WAL, at or after {@code commit}.
     *
     * @throws XenonException {@code WAL_CORRUPT} naming the file and LSN if WAL below {@code commit} is damaged
     *     or missing
     */
    static Lsn findEnd(SegmentFiles files, Lsn start, Lsn commit) throws IOException {
        WalRecovery recovery = new WalRecovery(files, start, commit);
        recovery.checkSegmentsBelowScan();
        return recovery.scan();
    }

    /** Segments below the scanned one are not decoded, but must all be there and full size. */
    private void checkSegmentsBelowScan() throws IOException {
        long first = start.segmentNumber();
        long scanned = scanFrom.segmentNumber();
        for (long segno = first; segno < scanned; segno++) {
            Path path = files.path(segno);
            long size = Files.exists(path) ? Files.size(path) : -1;
            if (size != SegmentFiles.SEGMENT_SIZE) {
                throw new XenonException(
                        ErrorCode.WAL_CORRUPT,
                        "wal segment " + path + ": " + (size < 0 ? "missing" : size + " bytes") + " (expected: "
                                + SegmentFiles.SEGMENT_SIZE + " bytes of WAL below the commit lsn " + commit + ")");
            }
        }
    }

    private Lsn scan() throws IOException {
        long pos = scanFrom.value();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        boolean inputEnded = false;
        while (!inputEnded && decoder.state() == WalStreamDecoder.State.DECODING && failure == null) {
            long segno = Lsn.of(pos).segmentNumber();
            try (FileChannel channel = FileChannel.open(files.path(segno), StandardOpenOption.READ)) {
                long size = Math.min(channel.size(), SegmentFiles.SEGMENT_SIZE);
                long offset = Lsn.of(pos).segmentOffset();
                while (offset < size && decoder.state() == WalStreamDecoder.State.DECODING && failure == null) {
                    chunk.clear().limit((int) Math.min(CHUNK, size - offset));
                    int n = FileSync.readFully(channel, chunk, offset);
                    chunk.flip();
                    decoder.feed(chunk);
                    offset += n;
                    pos += n;
                    drain();
                }
                inputEnded = size < SegmentFiles.SEGMENT_SIZE;
            } catch (NoSuchFileException e) {
                inputEnded = true;
            }
        }
        drain();
        return end(Lsn.of(pos));
    }

    private void drain() {
        try {
            DecodedRecord record;
            while ((record = decoder.poll()) != null) {
                lastEnd = record.endLsn();
            }
        } catch (WalDecodeException e) {
            failure = e;
        }
    }

    private Lsn end(Lsn inputEnd) {
        if (failure != null && failure.lsn().isBefore(commit)) {
            throw corrupt(failure.lsn(), failure.problem(), failure);
        }
        if (decoder.state() == WalStreamDecoder.State.END_OF_WAL
                && decoder.nextRecordLsn().isBefore(commit)) {
            throw corrupt(decoder.nextRecordLsn(), "the WAL ends here", null);
        }
        if (decoder.state() == WalStreamDecoder.State.DECODING && inputEnd.isBefore(commit)) {
            throw corrupt(inputEnd, "the segment file ends here", null);
        }
        Lsn found = lastEnd == null ? scanFrom : lastEnd;
        return Lsn.max(found, commit);
    }

    private XenonException corrupt(Lsn at, String problem, Throwable cause) {
        Path path = files.path(at.segmentNumber());
        String message = "wal segment " + path + " at " + at + ": " + problem + " (expected: intact WAL up to the"
                + " commit lsn " + commit + ")";
        return cause == null
                ? new XenonException(ErrorCode.WAL_CORRUPT, message)
                : new XenonException(ErrorCode.WAL_CORRUPT, message, cause);
    }
}
