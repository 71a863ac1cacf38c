package io.xenondb.walnode.storage;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.io.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** File-system steps whose durability the stores rely on, and the mapping of I/O failures to typed errors. */
final class FileSync {
    private FileSync() {}

    /** Makes the directory's entries (created, renamed, deleted files) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        DurableFiles.syncDirectory(dir);
    }

    /** Creates {@code dir} and any missing parents, each made durable in its own parent. */
    static void createDirectories(Path dir) throws IOException {
        DurableFiles.createDirectories(dir);
    }

    /** Writes all of {@code buffer} at {@code position}. */
    static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Reads until {@code buffer} is full or the file ends; returns the bytes read. */
    static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** An I/O failure on {@code file}: the store cannot go on, the data on disk is not known to be damaged. */
    static XenonException unavailable(String action, Path file, IOException cause) {
        return new XenonException(ErrorCode.UNAVAILABLE, action + " " + file + " failed: " + cause, cause);
    }
}
