package io.xenondb.storagenode.image;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Crash-safe file steps: a file becomes visible under its name only once its bytes are on disk. */
final class DurableFiles {
    static final String TEMP_SUFFIX = ".tmp";

    private DurableFiles() {}

    /** Writes {@code data} to a temp file, fsyncs it, renames it to {@code target} and fsyncs the directory. */
    static void writeAtomically(Path target, byte[] data) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        Files.write(temp, data);
        fsync(temp);
        publish(temp, target);
    }

    /** Renames an fsynced temp file to its final name and fsyncs the directory that holds it. */
    static void publish(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsync(target.getParent());
    }

    static void fsync(Path path) throws IOException {
        // Directories open for read only; Linux allows fsync on such a descriptor.
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void deleteIfExists(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static XenonException failure(String what, IOException e) {
        return new XenonException(ErrorCode.INTERNAL, what + ": " + e, e);
    }
}
