package io.xenondb.storagenode.wal;

import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The WAL of one timeline's history, by LSN: for a branch, its ancestors' WAL below the branch point and its own
 * above. The bytes at an LSN are the bytes of PostgreSQL's own {@code pg_wal} at that LSN (page headers included).
 */
public interface WalSource {
    /** The first readable LSN. */
    Lsn start();

    /** The end of the readable WAL (exclusive): the end of the last whole record held. */
    Lsn end();

    /**
     * Fills {@code dst} (its remaining bytes) with the WAL starting at {@code lsn}.
     *
     * @throws IllegalArgumentException if any of the range lies outside {@code [start(), end())}
     */
    void read(Lsn lsn, ByteBuffer dst) throws IOException;
}
