package io.xenondb.storagenode.remote;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Remote storage in a local directory (the embedded default): object {@code a/b/c} is the file
 * {@code <root>/a/b/c}. Every write goes to a temporary file in the same directory, is synced, renamed over the
 * object and the directory synced, so a crash leaves either the old object or the new one, never a part.
 * Temporary file names contain {@value #TEMP_SUFFIX}; listings skip them and keys may not contain it.
 */
public final class LocalDirectoryRemoteStorage implements RemoteStorage {
    static final String TEMP_SUFFIX = ".___temp";

    private final Path root;

    /** Uses (and creates) the directory {@code root}. */
    public LocalDirectoryRemoteStorage(Path root) {
        Objects.requireNonNull(root, "root");
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "local_path: " + root + " (expected: a directory that can be created and written: " + e + ")",
                    e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void upload(RemoteKey key, Path file) {
        Path target = pathOf(key);
        writeDurably(key, target, channel -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = in.size();
                long done = 0;
                while (done < size) {
                    long n = in.transferTo(done, size - done, channel);
                    if (n <= 0) {
                        throw new IOException("source " + file + " shrank while it was copied");
                    }
                    done += n;
                }
            } catch (NoSuchFileException e) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "upload source: " + file + " (expected: an existing file)", e);
            }
        });
    }

    @Override
    public void upload(RemoteKey key, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        writeDurably(key, pathOf(key), channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    @Override
    public void download(RemoteKey key, Path target) {
        Path source = pathOf(key);
        if (Files.isDirectory(source)) {
            throw notFound(key, null);
        }
        try {
            LocalFiles.writeAtomically(target, channel -> {
                try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                    long size = in.size();
                    long done = 0;
                    while (done < size) {
                        long n = in.transferTo(done, size - done, channel);
                        if (n <= 0) {
                            break;
                        }
                        done += n;
                    }
                }
            });
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw notFound(key, e);
        } catch (IOException e) {
            throw failure("download", key, e);
        }
    }

    @Override
    public byte[] download(RemoteKey key) {
        Path source = pathOf(key);
        try {
            if (Files.isDirectory(source)) {
                throw notFound(key, null);
            }
            return Files.readAllBytes(source);
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw notFound(key, e);
        } catch (IOException e) {
            throw failure("download", key, e);
        }
    }

    @Override
    public List<RemoteObject> list(String prefix) {
        RemoteKey.checkPrefix(prefix);
        // Walk only the deepest directory the prefix names completely; the rest is matched by text.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        List<RemoteObject> found = new ArrayList<>();
        if (!Files.isDirectory(start)) {
            return found;
        }
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (!attrs.isRegularFile() || name.contains(TEMP_SUFFIX)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String key = keyText(file);
                    if (key.startsWith(prefix)) {
                        found.add(new RemoteObject(new RemoteKey(key), attrs.size()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    // A file or directory deleted while we walk is simply not listed.
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL, "list of local remote storage " + root + " prefix '" + prefix + "': " + e, e);
        }
        found.sort(null);
        return found;
    }

    @Override
    public void delete(Collection<RemoteKey> keys) {
        List<Path> dirs = new ArrayList<>();
        for (RemoteKey key : keys) {
            Path path = pathOf(key);
            try {
                if (!Files.isDirectory(path) && Files.deleteIfExists(path)) {
                    dirs.add(path.getParent());
                }
            } catch (IOException e) {
                throw failure("delete", key, e);
            }
        }
        for (Path dir : dirs.stream().distinct().toList()) {
            try {
                LocalFiles.fsyncDirectory(dir);
            } catch (IOException e) {
                throw new XenonException(ErrorCode.INTERNAL, "fsync of directory " + dir + ": " + e, e);
            }
        }
    }

    @Override
    public boolean exists(RemoteKey key) {
        return Files.isRegularFile(pathOf(key));
    }

    private Path pathOf(RemoteKey key) {
        Objects.requireNonNull(key, "key");
        if (key.value().contains(TEMP_SUFFIX)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "remote key: '" + key + "' (expected: no '" + TEMP_SUFFIX + "' in a local remote storage key)");
        }
        return root.resolve(key.value());
    }

    private String keyText(Path file) {
        Path relative = root.relativize(file);
        StringBuilder key = new StringBuilder();
        for (Path part : relative) {
            if (!key.isEmpty()) {
                key.append('/');
            }
            key.append(part);
        }
        return key.toString();
    }

    private void writeDurably(RemoteKey key, Path target, LocalFiles.ChannelWriter writer) {
        try {
            LocalFiles.createDirectoriesDurably(target.getParent(), root);
            LocalFiles.writeAtomically(target, writer);
        } catch (FileAlreadyExistsException | NotDirectoryException | DirectoryNotEmptyException e) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "remote key: '" + key + "' (expected: a key whose path is not a directory or under a file: " + e
                            + ")",
                    e);
        } catch (FileSystemException e) {
            if (Files.isDirectory(target)) {
                throw new XenonException(
                        ErrorCode.CONFLICT,
                        "remote key: '" + key + "' (expected: a key that is not a prefix of other keys)",
                        e);
            }
            throw failure("upload", key, e);
        } catch (IOException | UncheckedIOException e) {
            throw failure("upload", key, e);
        }
    }

    private static XenonException notFound(RemoteKey key, Exception cause) {
        return new XenonException(
                ErrorCode.NOT_FOUND, "remote object: '" + key + "' (expected: an existing object)", cause);
    }

    private XenonException failure(String operation, RemoteKey key, Exception e) {
        return new XenonException(
                ErrorCode.INTERNAL, operation + " of '" + key + "' in local remote storage " + root + ": " + e, e);
    }

    @Override
    public String toString() {
        return "LocalDirectoryRemoteStorage[" + root + "]";
    }
}
