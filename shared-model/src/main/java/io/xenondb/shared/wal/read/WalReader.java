package io.xenondb.shared.wal.read;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.WalSegmentName;
import io.xenondb.shared.wal.decode.WalStreamDecoder;
import io.xenondb.shared.wal.internal.WalFormat;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Reads WAL records from segment files, in LSN order, from the first record at or after a start LSN (as
 * pg_walinspect and pg_waldump do) until the end of the WAL or of the available segments.
 *
 * <p>A segment file shorter than 16 MiB (not {@code .partial}) or a missing segment in the middle of a record
 * raises {@link WalDecodeException} ({@link Reason#TRUNCATED}) naming the record that could not be read, after
 * every record before it has been returned. Not thread-safe.
 */
public final class WalReader implements AutoCloseable {
    private static final int CHUNK = 1024 * 1024;

    private final WalSegmentFiles files;
    private final Lsn start;
    private final WalStreamDecoder decoder;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    private long segment;
    private FileChannel channel;
    private WalSegmentFiles.SegmentFile current;
    private boolean inputDone;
    private boolean ranOutOfSegments;
    private WalDecodeException pendingFailure;

    private WalReader(WalSegmentFiles files, Lsn start) {
        this.files = files;
        this.start = start;
        this.segment = start.segmentNumber();
        this.decoder = new WalStreamDecoder(start.pageStart());
    }

    /** A reader over the segments found in {@code inputs} (directories or files), from the first segment. */
    public static WalReader open(List<Path> inputs) {
        WalSegmentFiles files = WalSegmentFiles.scan(inputs, Optional.empty());
        return new WalReader(files, files.firstLsn());
    }

    /**
     * A reader from the first record at or after {@code start}.
     *
     * @throws XenonException {@code NOT_FOUND} if no segment file holds {@code start}
     */
    public static WalReader open(WalSegmentFiles files, Lsn start) {
        if (files.segment(start.segmentNumber()).isEmpty()) {
            throw new XenonException(
                    ErrorCode.NOT_FOUND,
                    "wal start lsn: " + start + " (expected: an lsn inside the available segments, timeline "
                            + files.timeline() + ", " + files.firstLsn() + " to " + files.lastLsn() + ")");
        }
        return new WalReader(files, start);
    }

    /**
     * The next record, or empty at the end of the WAL or of the available segments.
     *
     * @throws WalDecodeException if the WAL is corrupt or truncated, once the records before are returned
     */
    public Optional<DecodedRecord> next() {
        while (true) {
            DecodedRecord record = decoder.poll();
            if (record != null) {
                if (record.lsn().compareTo(start) >= 0) {
                    return Optional.of(record);
                }
                continue;
            }
            if (pendingFailure != null) {
                throw pendingFailure;
            }
            if (inputDone || decoder.state() != WalStreamDecoder.State.DECODING) {
                return Optional.empty();
            }
            readMore();
        }
    }

    /** Whether reading stopped at the WAL's clean end (rather than at the last available segment). */
    public boolean reachedEndOfWal() {
        return decoder.state() == WalStreamDecoder.State.END_OF_WAL;
    }

    /** Whether reading stopped because the next segment file does not exist. */
    public boolean ranOutOfSegments() {
        return ranOutOfSegments;
    }

    /** Where the next record would start: after the last record returned, once reading has stopped. */
    public Lsn nextRecordLsn() {
        return decoder.nextRecordLsn();
    }

    public long timeline() {
        return files.timeline();
    }

    private void readMore() {
        try {
            if (channel == null && !openSegment()) {
                return;
            }
            long leftInSegment = WalFormat.SEGMENT_SIZE - channel.position();
            if (leftInSegment > 0) {
                chunk.clear();
                chunk.limit((int) Math.min(CHUNK, leftInSegment));
                int n = channel.read(chunk);
                if (n > 0) {
                    chunk.flip();
                    decoder.feed(chunk);
                    return;
                }
            }
            long size = Math.min(channel.size(), WalFormat.SEGMENT_SIZE);
            closeChannel();
            if (size < WalFormat.SEGMENT_SIZE) {
                shortSegment(size);
            } else {
                segment++;
            }
        } catch (IOException e) {
            throw new XenonException(ErrorCode.INTERNAL, "reading WAL segment " + current.path() + ": " + e, e);
        }
    }

    private boolean openSegment() throws IOException {
        Optional<WalSegmentFiles.SegmentFile> file = files.segment(segment);
        if (file.isEmpty()) {
            ranOutOfSegments = true;
            inputDone = true;
            decoder.endOfInput("segment " + new WalSegmentName(files.timeline(), segment) + " is missing");
            return false;
        }
        current = file.get();
        channel = FileChannel.open(current.path(), StandardOpenOption.READ);
        long offset = decoder.position().segmentOffset();
        if (offset > 0) {
            channel.position(offset);
        }
        return true;
    }

    private void shortSegment(long size) {
        inputDone = true;
        String why = "segment file " + current.path().getFileName() + " ends after " + size + " bytes at "
                + current.name().startLsn().plus(size);
        decoder.endOfInput(why);
        if (!current.partial() && decoder.state() == WalStreamDecoder.State.DECODING) {
            pendingFailure = new WalDecodeException(
                    decoder.nextRecordLsn(),
                    Reason.TRUNCATED,
                    why + " (expected " + WalFormat.SEGMENT_SIZE + " bytes)");
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() {
        try {
            closeChannel();
        } catch (IOException e) {
            throw new XenonException(ErrorCode.INTERNAL, "closing WAL segment " + current.path() + ": " + e, e);
        }
    }
}
