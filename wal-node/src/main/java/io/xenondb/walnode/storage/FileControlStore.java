package io.xenondb.walnode.storage;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.walnode.consensus.storage.ControlState;
import io.xenondb.walnode.consensus.storage.ControlStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A timeline's {@link ControlState} in an append-only log file ({@value #FILE_NAME}): each {@link #persist}
 * appends one checksummed record and fdatasyncs it, and the state is the last intact record. A crash during an
 * append leaves a torn last record (zeroed or cut short, or junk): reading stops before it, and opening cuts it
 * off, so the state is exactly the last one persisted before the crash (a state is acted on only after its
 * persist returned). When the log reaches {@code compactAfter} records, the next state is written alone to a
 * new file that replaces the log atomically (write, fsync, rename, fsync directory).
 *
 * <p>Not thread-safe. After an I/O error in {@link #persist} the store refuses further use ({@code
 * UNAVAILABLE}); reopening reads what the disk holds.
 */
public final class FileControlStore implements ControlStore, AutoCloseable {
    public static final String FILE_NAME = "control.log";
    public static final int DEFAULT_COMPACT_AFTER = 256;

    /** Much more than a log of {@link #DEFAULT_COMPACT_AFTER} records can be: a bigger file is not ours. */
    private static final long MAX_LOG_SIZE = 256L * 1024 * 1024;

    private static final String TEMP_NAME = FILE_NAME + ".tmp";
    private static final String LOCK_NAME = "control.lock";

    private final Path dir;
    private final Path path;
    private final int compactAfter;
    private final AtomicLong persists = new AtomicLong();
    private final AtomicLong persistNanos = new AtomicLong();
    private final AtomicLong compactions = new AtomicLong();
    private DirectoryLock lock;
    private FileChannel channel;
    private boolean directorySynced;
    private long length;
    private int records;
    private Optional<ControlState> last;
    private XenonException failure;
    private boolean closed;

    private FileControlStore(Path dir, int compactAfter) {
        this.dir = dir;
        this.path = dir.resolve(FILE_NAME);
        this.compactAfter = compactAfter;
    }

    /** Opens the control log in {@code dir} (created if missing), compacting after the default record count. */
    public static FileControlStore open(Path dir) {
        return open(dir, DEFAULT_COMPACT_AFTER);
    }

    /**
     * Opens the control log in {@code dir}, cutting off a torn tail.
     *
     * @throws XenonException {@code WAL_CORRUPT} if a record before the last is damaged, {@code UNAVAILABLE}
     *     for I/O errors
     */
    public static FileControlStore open(Path dir, int compactAfter) {
        Objects.requireNonNull(dir, "dir");
        if (compactAfter < 1) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "compactAfter: " + compactAfter + " (expected: at least 1)");
        }
        FileControlStore store = new FileControlStore(dir, compactAfter);
        try {
            store.recover();
        } catch (IOException e) {
            store.closeQuietly();
            throw FileSync.unavailable("opening control log", store.path, e);
        } catch (RuntimeException e) {
            store.closeQuietly();
            throw e;
        }
        return store;
    }

    private void recover() throws IOException {
        FileSync.createDirectories(dir);
        lock = DirectoryLock.acquire(dir, LOCK_NAME, "control log");
        Files.deleteIfExists(dir.resolve(TEMP_NAME)); // a compaction that did not reach its rename
        directorySynced = Files.exists(path);
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = channel.size();
        if (size > MAX_LOG_SIZE) {
            throw new XenonException(
                    ErrorCode.WAL_CORRUPT,
                    "control log " + path + ": " + size + " bytes (expected: at most " + MAX_LOG_SIZE + ")");
        }
        byte[] bytes = new byte[(int) size];
        FileSync.readFully(channel, ByteBuffer.wrap(bytes), 0);
        ControlLogFormat.Scan scan = ControlLogFormat.scan(bytes, path.toString());
        if (scan.intactLength() < size) {
            channel.truncate(scan.intactLength());
            channel.force(true);
        }
        length = scan.intactLength();
        records = scan.records();
        last = scan.last();
    }

    @Override
    public Optional<ControlState> load() {
        checkUsable();
        return last;
    }

    @Override
    public void persist(ControlState state) {
        checkUsable();
        byte[] record = ControlLogFormat.frame(ControlStateCodec.encode(Objects.requireNonNull(state, "state")));
        long began = System.nanoTime();
        try {
            if (records >= compactAfter) {
                compact(record);
            } else {
                append(record);
            }
        } catch (IOException e) {
            failure = FileSync.unavailable("persisting control state to", path, e);
            throw failure;
        }
        last = Optional.of(state);
        persists.incrementAndGet();
        persistNanos.addAndGet(System.nanoTime() - began);
    }

    private void append(byte[] record) throws IOException {
        FileSync.writeFully(channel, ByteBuffer.wrap(record), length);
        channel.force(false);
        if (!directorySynced) {
            FileSync.fsyncDirectory(dir); // the log file itself was new: make its name durable too
            directorySynced = true;
        }
        length += record.length;
        records++;
    }

    private void compact(byte[] record) throws IOException {
        Path temp = dir.resolve(TEMP_NAME);
        try (FileChannel out = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            FileSync.writeFully(out, ByteBuffer.wrap(record), 0);
            out.force(true);
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
        FileSync.fsyncDirectory(dir);
        channel.close();
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        length = record.length;
        records = 1;
        compactions.incrementAndGet();
    }

    /** The log file. */
    public Path path() {
        return path;
    }

    public ControlStoreStats stats() {
        return new ControlStoreStats(persists.get(), persistNanos.get(), compactions.get());
    }

    /** Closes the log file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (DirectoryLock held = lock) {
            channel.close();
        } catch (IOException e) {
            throw FileSync.unavailable("closing control log", path, e);
        }
    }

    private void closeQuietly() {
        try (DirectoryLock held = lock;
                FileChannel open = channel) {
            // closed by the try
        } catch (IOException e) {
            // the open already failed with the error that matters
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "control log " + path + " is closed");
        }
        if (failure != null) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "control log " + path + " failed earlier (" + failure.getMessage() + "); reopen it",
                    failure);
        }
    }
}
