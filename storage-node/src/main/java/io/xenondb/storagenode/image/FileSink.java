package io.xenondb.storagenode.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives the entries of an image in a stable order: sorted by path, each directory before what it holds.
 * Paths are relative to the data directory, '/'-separated.
 */
public interface FileSink {
    /** A directory (possibly empty, such as {@code pg_wal}). */
    void directory(String path) throws IOException;

    /** A regular file of {@code size} bytes; {@code content} is valid only during the call. */
    void file(String path, long size, InputStream content) throws IOException;
}
