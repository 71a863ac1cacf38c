package io.xenondb.walnode.storage;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The segment files of one timeline directory, named as PostgreSQL names them on timeline 1, with a small cache
 * of open channels. Channels holding unsynced writes are never evicted: a later fsync must go through a file
 * descriptor that was open when the data was written to see its write-back errors.
 */
final class SegmentFiles implements AutoCloseable {
    /** The PostgreSQL timeline of every segment: Xenon never changes it (DESIGN §2). */
    static final long PG_TIMELINE = 1;

    static final long SEGMENT_SIZE = Lsn.WAL_SEGMENT_SIZE;
    private static final int MAX_OPEN = 8;
    private static final int ZERO_CHUNK = 256 * 1024;

    private final Path dir;
    private final LinkedHashMap<Long, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);

    SegmentFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path path(long segno) {
        return dir.resolve(new WalSegmentName(PG_TIMELINE, segno).toString());
    }

    /** The segment files present, by segment number; other files are ignored. */
    TreeMap<Long, Path> list() throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (WalSegmentName.isSegmentName(name)) {
                    WalSegmentName parsed = parseOrNull(name);
                    if (parsed != null && parsed.timeline() == PG_TIMELINE) {
                        found.put(parsed.segmentNumber(), p);
                    }
                }
            }
        }
        return found;
    }

    private static WalSegmentName parseOrNull(String name) {
        try {
            return WalSegmentName.parse(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    boolean exists(long segno) {
        return open.containsKey(segno) || Files.exists(path(segno));
    }

    /** An open channel on an existing segment file. */
    FileChannel channel(long segno, Set<Long> pinned) throws IOException {
        FileChannel channel = open.get(segno);
        if (channel != null) {
            return channel;
        }
        channel = FileChannel.open(path(segno), StandardOpenOption.READ, StandardOpenOption.WRITE);
        open.put(segno, channel);
        evict(pinned);
        return channel;
    }

    private void evict(Set<Long> pinned) throws IOException {
        Iterator<Map.Entry<Long, FileChannel>> it = open.entrySet().iterator();
        while (open.size() > MAX_OPEN && it.hasNext()) {
            Map.Entry<Long, FileChannel> eldest = it.next();
            if (!pinned.contains(eldest.getKey())) {
                it.remove();
                eldest.getValue().close();
            }
        }
    }

    /**
     * Fills {@code out} with the bytes from LSN {@code pos} on, across segments.
     *
     * @throws NoSuchFileException if a segment file is missing, {@link EOFException} if one is short
     */
    void read(long pos, byte[] out, Set<Long> pinned) throws IOException {
        int done = 0;
        while (done < out.length) {
            Lsn at = Lsn.of(pos + done);
            int n = (int) Math.min(out.length - done, SEGMENT_SIZE - at.segmentOffset());
            int got = FileSync.readFully(
                    channel(at.segmentNumber(), pinned), ByteBuffer.wrap(out, done, n), at.segmentOffset());
            if (got < n) {
                throw new EOFException(path(at.segmentNumber()) + " ends at offset " + (at.segmentOffset() + got));
            }
            done += n;
        }
    }

    /**
     * Writes zeros over {@code [from, to)} of the segment, skipping chunks that already read as zeros, and
     * extends a short file to {@code to}. Returns whether anything was written (then the caller syncs).
     */
    boolean zero(FileChannel channel, long from, long to) throws IOException {
        boolean wrote = false;
        ByteBuffer read = ByteBuffer.allocate(ZERO_CHUNK);
        ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK);
        for (long at = from; at < to; ) {
            int n = (int) Math.min(ZERO_CHUNK, to - at);
            read.clear().limit(n);
            int got = FileSync.readFully(channel, read, at);
            if (got < n || !allZero(read.array(), got)) {
                zeros.clear().limit(n);
                FileSync.writeFully(channel, zeros, at);
                wrote = true;
            }
            at += n;
        }
        return wrote;
    }

    private static boolean allZero(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Deletes every segment numbered {@code first} or higher, lowest first, and makes that durable. The lowest
     * goes first and alone: WAL recovery stops at the first missing segment, so once it is gone nothing after
     * it can come back, whatever happens to the rest.
     */
    void deleteFrom(long first) throws IOException {
        List<Long> doomed = new ArrayList<>(list().tailMap(first, true).keySet());
        for (int i = 0; i < doomed.size(); i++) {
            long segno = doomed.get(i);
            FileChannel channel = open.remove(segno);
            if (channel != null) {
                channel.close();
            }
            try {
                Files.delete(path(segno));
            } catch (NoSuchFileException e) {
                // already gone: the goal of this step
            }
            if (i == 0 || i == doomed.size() - 1) {
                FileSync.fsyncDirectory(dir);
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel channel : open.values()) {
            try {
                channel.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
