package io.xenondb.walnode.storage;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Test access to segment files on disk, bypassing the store: reading them and damaging them as a crash would. */
final class SegmentDisk {
    private SegmentDisk() {}

    static Path segment(Path dir, Lsn lsn) {
        return dir.resolve(WalSegmentName.of(1, lsn).toString());
    }

    /** The bytes of {@code [from, to)} as the segment files hold them (missing bytes read as zeros). */
    static byte[] read(Path dir, Lsn from, Lsn to) {
        byte[] out = new byte[(int) to.minus(from)];
        long pos = from.value();
        while (pos < to.value()) {
            Lsn at = Lsn.of(pos);
            int n = (int) Math.min(to.value() - pos, Lsn.WAL_SEGMENT_SIZE - at.segmentOffset());
            Path file = segment(dir, at);
            if (Files.exists(file)) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    channel.read(ByteBuffer.wrap(out, (int) (pos - from.value()), n), at.segmentOffset());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            pos += n;
        }
        return out;
    }

    /** Overwrites bytes at {@code at} in its segment file (which must exist). */
    static void write(Path dir, Lsn at, byte[] bytes) {
        try (FileChannel channel = FileChannel.open(segment(dir, at), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), at.segmentOffset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void zero(Path dir, Lsn from, Lsn to) {
        write(dir, from, new byte[(int) to.minus(from)]);
    }

    /** Whether every byte of {@code [from, to)} reads as zero. */
    static boolean allZero(Path dir, Lsn from, Lsn to) {
        for (byte b : read(dir, from, to)) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    static void truncateFile(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
