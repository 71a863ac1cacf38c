package io.xenondb.storagenode.wal;

import io.xenondb.shared.io.DurableFiles;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One timeline's own WAL on the storage node: PostgreSQL-layout 16 MiB segment files in one directory, holding
 * the bytes from the timeline's start LSN on (a branch's first segment is sparse below its branch point).
 *
 * <p>Appends are contiguous. {@link #end()} is the end of the last whole record ({@link #markRecordEnd}); bytes
 * after it may be part of a record still arriving and are never read. Durability is the caller's: {@link
 * #sync()} fsyncs what was written, and the caller then records its durable LSN (disk_consistent_lsn) in the
 * timeline's metadata; on {@link #open} everything after that LSN is ignored and overwritten by later appends.
 * Not thread-safe for writes; reads may run concurrently with appends below {@link #end()}.
 */
public final class TimelineWal implements WalSource, Closeable {
    private static final long SEGMENT = Lsn.WAL_SEGMENT_SIZE;

    private final Path dir;
    private volatile Lsn start;
    private final Map<Long, FileChannel> channels = new TreeMap<>();
    private final Set<Long> dirty = new HashSet<>();
    private volatile Lsn end;
    private Lsn writeEnd;

    private TimelineWal(Path dir, Lsn start, Lsn end) {
        this.dir = dir;
        this.start = start;
        this.end = end;
        this.writeEnd = end;
    }

    /** A new, empty WAL directory whose WAL begins at {@code start}. */
    public static TimelineWal create(Path dir, Lsn start) throws IOException {
        Files.createDirectories(dir);
        return new TimelineWal(dir, start, start);
    }

    /** The WAL in {@code dir} from {@code start}, durable (and whole records) up to {@code durableEnd}. */
    public static TimelineWal open(Path dir, Lsn start, Lsn durableEnd) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("timeline WAL directory " + dir + " is missing");
        }
        if (durableEnd.isBefore(start)) {
            throw new IOException(
                    "timeline WAL " + dir + ": durable end " + durableEnd + " is below its start " + start);
        }
        return new TimelineWal(dir, start, durableEnd);
    }

    @Override
    public Lsn start() {
        return start;
    }

    @Override
    public Lsn end() {
        return end;
    }

    /** Where the next append must begin. */
    public synchronized Lsn writeEnd() {
        return writeEnd;
    }

    /** Appends {@code bytes} (all remaining) at {@link #writeEnd()}, which must equal {@code at}. */
    public synchronized void append(Lsn at, ByteBuffer bytes) throws IOException {
        if (!at.equals(writeEnd)) {
            throw new IllegalArgumentException("append at " + at + " but the WAL ends at " + writeEnd);
        }
        long pos = at.value();
        while (bytes.hasRemaining()) {
            long segNo = Long.divideUnsigned(pos, SEGMENT);
            long offset = Long.remainderUnsigned(pos, SEGMENT);
            int len = (int) Math.min(bytes.remaining(), SEGMENT - offset);
            ByteBuffer piece = bytes.slice(bytes.position(), len);
            FileChannel channel = channel(segNo, true);
            long o = offset;
            while (piece.hasRemaining()) {
                o += channel.write(piece, o);
            }
            dirty.add(segNo);
            bytes.position(bytes.position() + len);
            pos += len;
        }
        writeEnd = Lsn.of(pos);
    }

    /** Moves {@link #end()} to {@code recordEnd}, the end of a whole record at or below {@link #writeEnd()}. */
    public synchronized void markRecordEnd(Lsn recordEnd) {
        if (recordEnd.isAfter(writeEnd) || recordEnd.isBefore(end)) {
            throw new IllegalArgumentException(
                    "record end " + recordEnd + " outside [" + end + ", " + writeEnd + "] of " + dir);
        }
        end = recordEnd;
    }

    /** Forgets what was appended after {@link #end()} (a partial record), so appends resume there. */
    public synchronized void discardPartial() {
        writeEnd = end;
    }

    /** fsyncs every segment written since the last sync; afterwards everything below {@link #end()} is durable. */
    public synchronized void sync() throws IOException {
        for (long segNo : dirty) {
            FileChannel channel = channels.get(segNo);
            if (channel != null) {
                channel.force(false);
            }
        }
        if (!dirty.isEmpty()) {
            // New segment files must survive a crash too.
            DurableFiles.syncDirectory(dir);
        }
        dirty.clear();
    }

    @Override
    public void read(Lsn lsn, ByteBuffer dst) throws IOException {
        Lsn last = lsn.plus(dst.remaining());
        if (lsn.isBefore(start) || last.isAfter(end)) {
            throw new IllegalArgumentException(
                    "WAL [" + lsn + ", " + last + ") is outside what " + dir + " holds: [" + start + ", " + end + ")");
        }
        long pos = lsn.value();
        while (dst.hasRemaining()) {
            long segNo = Long.divideUnsigned(pos, SEGMENT);
            long offset = Long.remainderUnsigned(pos, SEGMENT);
            int len = (int) Math.min(dst.remaining(), SEGMENT - offset);
            ByteBuffer piece = dst.slice(dst.position(), len);
            FileChannel channel = channel(segNo, false);
            long o = offset;
            while (piece.hasRemaining()) {
                int n = channel.read(piece, o);
                if (n < 0) {
                    throw new IOException("segment " + segmentFile(segNo) + " ends before " + Lsn.of(pos + len));
                }
                o += n;
            }
            dst.position(dst.position() + len);
            pos += len;
        }
    }

    /**
     * Drops the segment files wholly below {@code newStart} (GC: no read needs that WAL any more); the WAL then
     * starts at the start of the segment holding {@code newStart}, never below where it started before.
     * Returns the new start.
     */
    public synchronized Lsn truncateBelow(Lsn newStart) throws IOException {
        long keepFrom = newStart.segmentNumber();
        Lsn updated = Lsn.max(start, Lsn.ofSegment(keepFrom, SEGMENT));
        if (updated.equals(start)) {
            return start;
        }
        start = updated;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (WalSegmentName.isSegmentName(name)
                        && WalSegmentName.parse(name).segmentNumber() < keepFrom) {
                    FileChannel open =
                            channels.remove(WalSegmentName.parse(name).segmentNumber());
                    if (open != null) {
                        open.close();
                    }
                    Files.delete(file);
                }
            }
        }
        DurableFiles.syncDirectory(dir);
        return start;
    }

    /**
     * GC: removes one whole segment inside the WAL that no read needs any more (between what a branch point or
     * lease needs and what the newest images need). Reads of it fail from then on.
     */
    public synchronized void removeSegment(long segNo) throws IOException {
        if (segNo >= Long.divideUnsigned(end.value(), SEGMENT)) {
            throw new IllegalArgumentException("segment " + segNo + " holds the WAL's end " + end + ": never removed");
        }
        FileChannel open = channels.remove(segNo);
        if (open != null) {
            open.close();
        }
        Files.deleteIfExists(segmentFile(segNo));
    }

    /** Whether the segment's file is here (GC may have removed segments inside the WAL). */
    public boolean hasSegment(long segNo) {
        return Files.exists(segmentFile(segNo));
    }

    /** Bytes of WAL held (the segment files' sizes). */
    public long physicalSize() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path directory() {
        return dir;
    }

    private synchronized FileChannel channel(long segNo, boolean write) throws IOException {
        FileChannel channel = channels.get(segNo);
        if (channel == null) {
            Path file = segmentFile(segNo);
            if (!write && !Files.exists(file)) {
                throw new IOException("WAL segment " + file.getFileName() + " of " + dir
                        + " is not here: garbage-collected, no read at or above the GC cutoff needs it");
            }
            channel = write
                    ? FileChannel.open(
                            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channels.put(segNo, channel);
        }
        return channel;
    }

    private Path segmentFile(long segNo) {
        return dir.resolve(new WalSegmentName(1, segNo).toString());
    }

    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        for (FileChannel channel : channels.values()) {
            try {
                channel.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        channels.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
