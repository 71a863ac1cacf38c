package io.xenondb.walnode.storage;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.storage.WalStore;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executor;

/**
 * The WAL of one timeline in a directory of 16 MiB segment files named and laid out as PostgreSQL's
 * {@code pg_wal} (timeline 1): the byte at an LSN sits at the same offset of the same file as in the compute's
 * own segment, so the files over the written range are byte-identical to it.
 *
 * <p>Writes are positional and only reach the page cache; {@link #flush} syncs every segment written since
 * the last flush with one {@code fdatasync} each (normally one: group commit). Segment files are created full
 * size and zero-filled, so the bytes after the write LSN always read as zeros. On {@link #open}, recovery
 * decodes the WAL from the persisted commit LSN's segment to the end of the last complete record, takes that
 * as the flush LSN, and durably zeroes or deletes everything after it (a torn last write, junk).
 *
 * <p>The flush LSN is always a record boundary, as recovery needs: the written WAL is decoded on the way in
 * (bytes that are not WAL are refused with {@code INVALID_ARGUMENT} and not written), and a flush makes
 * durable everything written but acknowledges only up to the end of the last complete record. When every
 * write ends at a record end, that is the write LSN; a record split over several writes (appends carry at
 * most 128 KiB) counts once its last byte is written. Truncate only at record boundaries (such as a flush
 * LSN).
 *
 * <p>Not thread-safe (the acceptor calls it from one thread); {@link #stats} may be read from any thread.
 * After an I/O error while writing, syncing or truncating, the store refuses further use ({@code
 * UNAVAILABLE}): what the disk holds is then unknown, and reopening recovers it from the disk.
 */
public final class FileWalStore implements WalStore, AutoCloseable {
    /** Held while the store is open; the directory's other files are segments, the spare and the control log. */
    static final String LOCK_NAME = "wal.lock";

    private final DirectoryLock lock;
    private final SegmentFiles files;
    private final SegmentAllocator allocator;
    private final WalStoreCounters counters = new WalStoreCounters();
    private final Lsn start;
    private final TreeSet<Long> dirty = new TreeSet<>();
    private final RecordBoundaries records;
    private Lsn writeLsn;
    private Lsn flushLsn;
    private XenonException failure;
    private boolean closed;

    private FileWalStore(DirectoryLock lock, SegmentFiles files, SegmentAllocator allocator, Lsn start, Lsn end) {
        this.lock = lock;
        this.files = files;
        this.allocator = allocator;
        this.start = start;
        this.writeLsn = end;
        this.flushLsn = end;
        this.records = new RecordBoundaries(end);
    }

    /** {@link #open(Path, Lsn, Lsn, Executor)} without making segment files ahead of need. */
    public static FileWalStore open(Path dir, Lsn startLsn, Lsn commitLsn) {
        return open(dir, startLsn, commitLsn, null);
    }

    /**
     * Opens (creating if needed) the WAL directory of a timeline and recovers its end.
     *
     * @param dir the timeline's directory, shared with nothing but its control log
     * @param startLsn the first LSN held: the timeline start, a record boundary
     * @param commitLsn the persisted commit LSN (a record boundary at or after {@code startLsn} that the WAL
     *     held reaches); {@code startLsn} for a new timeline
     * @param preallocator runs the zero-filling of the next segment file ahead of need; null to do it inline
     * @throws XenonException {@code INVALID_LSN} for inconsistent LSNs, {@code WAL_CORRUPT} if WAL below the
     *     commit LSN is damaged or missing, {@code UNAVAILABLE} for I/O errors
     */
    public static FileWalStore open(Path dir, Lsn startLsn, Lsn commitLsn, Executor preallocator) {
        Objects.requireNonNull(dir, "dir");
        if (!startLsn.isValid() || commitLsn.isBefore(startLsn)) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN,
                    "wal store " + dir + ": start " + startLsn + ", commit " + commitLsn
                            + " (expected: a valid start lsn and a commit lsn at or after it)");
        }
        DirectoryLock lock = null;
        SegmentFiles files = null;
        try {
            FileSync.createDirectories(dir);
            lock = DirectoryLock.acquire(dir, LOCK_NAME, "wal store");
            files = new SegmentFiles(dir);
            SegmentAllocator allocator = new SegmentAllocator(dir, preallocator);
            Lsn end = WalRecovery.findEnd(files, startLsn, commitLsn);
            FileWalStore store = new FileWalStore(lock, files, allocator, startLsn, end);
            // What lies after the recovered end is unknown: zero the whole rest of its segment.
            store.cutAfter(end, SegmentFiles.SEGMENT_SIZE);
            return store;
        } catch (IOException e) {
            closeQuietly(files, lock);
            throw FileSync.unavailable("opening wal store", dir, e);
        } catch (RuntimeException e) {
            closeQuietly(files, lock);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // opening failed already; that error is the one to report
            }
        }
    }

    @Override
    public Lsn startLsn() {
        return start;
    }

    @Override
    public Lsn writeLsn() {
        return writeLsn;
    }

    @Override
    public Lsn flushLsn() {
        return flushLsn;
    }

    /** The directory holding the segment files. */
    public Path dir() {
        return files.dir();
    }

    public WalStoreStats stats() {
        return counters.snapshot();
    }

    @Override
    public void write(Lsn begin, ByteString data) {
        checkUsable();
        if (!begin.equals(writeLsn)) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN, "wal write at " + begin + " (expected: the write lsn " + writeLsn + ")");
        }
        if (data.isEmpty()) {
            return;
        }
        Lsn end = begin.plus(data.size());
        long began = System.nanoTime();
        Lsn lastRecordEnd = records.last();
        try {
            records.accept(begin, data);
        } catch (XenonException notWal) {
            records.restart(lastRecordEnd, read(lastRecordEnd, (int) writeLsn.minus(lastRecordEnd)));
            throw notWal;
        }
        long pos = begin.value();
        int done = 0;
        try {
            while (done < data.size()) {
                long segno = Lsn.of(pos).segmentNumber();
                long offset = Lsn.of(pos).segmentOffset();
                int n = (int) Math.min(data.size() - done, SegmentFiles.SEGMENT_SIZE - offset);
                FileChannel channel = segmentForWrite(segno);
                dirty.add(segno);
                FileSync.writeFully(channel, data.substring(done, done + n).asReadOnlyByteBuffer(), offset);
                done += n;
                pos += n;
            }
        } catch (IOException e) {
            throw fail(
                    "writing wal at " + Lsn.of(pos) + " to",
                    files.path(Lsn.of(pos).segmentNumber()),
                    e);
        }
        writeLsn = end;
        counters.writes.incrementAndGet();
        counters.writtenBytes.addAndGet(data.size());
        counters.writeNanos.addAndGet(System.nanoTime() - began);
        if (end.segmentOffset() >= SegmentFiles.SEGMENT_SIZE / 2) {
            allocator.prepareSpare();
        }
    }

    private FileChannel segmentForWrite(long segno) throws IOException {
        if (!files.exists(segno)) {
            allocator.create(files.path(segno));
            counters.segmentsCreated.incrementAndGet();
        }
        return files.channel(segno, dirty);
    }

    @Override
    public Lsn flush() {
        checkUsable();
        if (dirty.isEmpty()) {
            return flushLsn;
        }
        long segno = -1;
        try {
            for (long s : dirty) {
                segno = s;
                long began = System.nanoTime();
                files.channel(s, dirty).force(false);
                counters.fsyncNanos.addAndGet(System.nanoTime() - began);
                counters.fsyncs.incrementAndGet();
            }
        } catch (IOException e) {
            throw fail("syncing", files.path(segno), e);
        }
        dirty.clear();
        flushLsn = records.last();
        counters.flushes.incrementAndGet();
        return flushLsn;
    }

    @Override
    public void truncate(Lsn end) {
        checkUsable();
        if (end.isBefore(start) || end.isAfter(flushLsn)) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN,
                    "wal truncate at " + end + " (expected: between " + start + " and the flush lsn " + flushLsn + ")");
        }
        if (end.equals(writeLsn)) {
            return; // nothing was written after it: the bytes there are zeros and no later segment exists
        }
        // Bytes after the write lsn are zeros already: zero up to it, or to the end of end's segment.
        long zeroTo =
                writeLsn.segmentNumber() == end.segmentNumber() ? writeLsn.segmentOffset() : SegmentFiles.SEGMENT_SIZE;
        try {
            cutAfter(end, zeroTo);
        } catch (IOException e) {
            throw fail("truncating wal at " + end + " in", files.dir(), e);
        }
        dirty.clear();
        records.restart(end, ByteString.EMPTY);
        writeLsn = end;
        flushLsn = end;
        counters.truncations.incrementAndGet();
    }

    /**
     * Durably removes the WAL from {@code end} on, zeroing {@code end}'s segment up to offset {@code zeroTo}
     * (extending a short file) and deleting the later segments. The zeroing is synced first, so recovery stops
     * at {@code end} even if a crash loses some of the deletions that follow.
     */
    private void cutAfter(Lsn end, long zeroTo) throws IOException {
        long segno = end.segmentNumber();
        long offset = end.segmentOffset();
        if (offset != 0 && files.exists(segno)) {
            FileChannel channel = files.channel(segno, dirty);
            if (files.zero(channel, offset, zeroTo)) {
                channel.force(false);
            }
        }
        files.deleteFrom(offset == 0 ? segno : segno + 1);
    }

    @Override
    public ByteString read(Lsn begin, int maxBytes) {
        checkUsable();
        if (begin.isBefore(start) || begin.isAfter(writeLsn) || maxBytes < 0) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN,
                    "wal read at " + begin + " of " + maxBytes + " bytes (expected: between " + start + " and "
                            + writeLsn + ", maxBytes >= 0)");
        }
        byte[] out = new byte[(int) Math.min(maxBytes, writeLsn.minus(begin))];
        try {
            files.read(begin.value(), out, dirty);
        } catch (NoSuchFileException | EOFException e) {
            throw new XenonException(
                    ErrorCode.WAL_CORRUPT,
                    "wal segment " + e.getMessage() + " (expected: full segments below the write lsn " + writeLsn + ")",
                    e);
        } catch (IOException e) {
            throw FileSync.unavailable("reading wal at " + begin + " from", files.dir(), e);
        }
        return UnsafeByteOperations.unsafeWrap(out);
    }

    /** Closes the files without syncing: writes not flushed may be lost, as in a crash. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        allocator.close();
        try (DirectoryLock held = lock) {
            files.close();
        } catch (IOException e) {
            throw FileSync.unavailable("closing wal store", files.dir(), e);
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "wal store " + files.dir() + " is closed");
        }
        if (failure != null) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "wal store " + files.dir() + " failed earlier (" + failure.getMessage()
                            + "); reopen it to recover from disk",
                    failure);
        }
    }

    private XenonException fail(String action, Path file, IOException cause) {
        failure = FileSync.unavailable(action, file, cause);
        return failure;
    }
}
