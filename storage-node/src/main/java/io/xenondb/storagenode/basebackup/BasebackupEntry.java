package io.xenondb.storagenode.basebackup;

import java.io.IOException;
import java.io.InputStream;

/** One file or directory of a data directory, as a base backup carries it. */
public interface BasebackupEntry {
    /** Path relative to the data directory, '/'-separated, no trailing slash. */
    String path();

    boolean isDirectory();

    /** Size in bytes (0 for a directory). */
    long size();

    /** The file's bytes (exactly {@link #size()}); not called for directories. */
    InputStream open() throws IOException;
}
