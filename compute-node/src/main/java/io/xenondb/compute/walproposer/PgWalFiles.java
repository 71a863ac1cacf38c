package io.xenondb.compute.walproposer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The compute's WAL read straight from its {@code pg_wal} directory (the proposer runs next to PostgreSQL).
 * Only WAL PostgreSQL already streamed is asked for, so it is flushed and final; the replication slot keeps it
 * from the commit LSN on, and older segments may be gone (then the proposer takes the WAL from a WAL node).
 */
final class PgWalFiles implements LocalWalSource {
    private final Path walDir;
    private final long timeline;

    PgWalFiles(Path walDir, long timeline) {
        this.walDir = walDir;
        this.timeline = timeline;
    }

    @Override
    public ByteString read(Lsn begin, Lsn end) {
        if (end.isBefore(begin) || end.minus(begin) > Integer.MAX_VALUE - 8) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "local wal read " + begin + ".." + end + " (expected: begin <= end, under 2 GiB)");
        }
        byte[] bytes = new byte[(int) end.minus(begin)];
        int filled = 0;
        while (filled < bytes.length) {
            Lsn at = begin.plus(filled);
            long offset = at.segmentOffset();
            int n = (int) Math.min(bytes.length - filled, Lsn.WAL_SEGMENT_SIZE - offset);
            Path file = walDir.resolve(new WalSegmentName(timeline, at.segmentNumber()).toString());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, filled, n);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, offset + (buffer.position() - filled)) < 0) {
                        throw new XenonException(
                                ErrorCode.NOT_FOUND,
                                "local wal at " + begin.plus(buffer.position()) + ": " + file + " ends early");
                    }
                }
            } catch (NoSuchFileException e) {
                throw new XenonException(ErrorCode.NOT_FOUND, "local wal at " + at + ": no segment file " + file);
            } catch (IOException e) {
                throw new XenonException(ErrorCode.UNAVAILABLE, "local wal at " + at + ": reading " + file + ": " + e);
            }
            filled += n;
        }
        // The array is never touched again.
        return UnsafeByteOperations.unsafeWrap(bytes);
    }
}
