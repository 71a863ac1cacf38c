package io.xenondb.walnode.config;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The WAL node's data directory, held for the life of the process: locked so that two nodes never share it,
 * and bound to one node id, recorded in {@code safekeeper.id} (as Neon does) on first start, so that a node
 * restarted with another {@code --id} (or none) is refused or finds its own.
 */
public final class DataDirectory implements AutoCloseable {
    static final String ID_FILE = "safekeeper.id";
    static final String LOCK_FILE = "wal-node.lock";

    private final Path path;
    private final NodeId nodeId;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path path, NodeId nodeId, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.nodeId = nodeId;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates (if needed) and locks the directory, and settles the node id between the flag and the file. */
    public static DataDirectory open(Path path, Optional<NodeId> given) {
        Path dir = path.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel, dir);
            NodeId id = settleId(dir, given);
            return new DataDirectory(dir, id, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, "datadir: " + dir + " cannot be used (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public NodeId nodeId() {
        return nodeId;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // The lock goes with the channel anyway.
        }
        closeQuietly(lockChannel);
    }

    private static FileLock tryLock(FileChannel channel, Path dir) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "datadir: " + dir + " is in use by another WAL node (expected: a directory of its own)");
        }
        return lock;
    }

    private static NodeId settleId(Path dir, Optional<NodeId> given) throws IOException {
        Path idFile = dir.resolve(ID_FILE);
        Optional<NodeId> recorded = Optional.empty();
        if (Files.exists(idFile)) {
            String text = Files.readString(idFile, StandardCharsets.UTF_8).strip();
            try {
                recorded = Optional.of(NodeId.parse(text));
            } catch (XenonException e) {
                throw new XenonException(
                        ErrorCode.WAL_CORRUPT, "datadir: " + idFile + " holds '" + text + "' (expected: a node id)");
            }
        }
        if (given.isPresent() && recorded.isPresent() && !given.equals(recorded)) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "--id " + given.get() + " but datadir " + dir + " belongs to WAL node " + recorded.get()
                            + " (expected: --id " + recorded.get() + " or another datadir)");
        }
        if (recorded.isPresent()) {
            return recorded.get();
        }
        NodeId id = given.orElseThrow(() -> new XenonException(
                ErrorCode.INVALID_ARGUMENT,
                "--id: missing (expected: this WAL node's id; datadir " + dir + " has none recorded)"));
        Path temp = dir.resolve(ID_FILE + ".tmp");
        try (FileChannel out = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            out.write(StandardCharsets.UTF_8.encode(id + "\n"));
            out.force(true);
        }
        Files.move(temp, idFile, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
        return id;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing to do: the process is giving the directory up.
            }
        }
    }
}
