package io.xenondb.compute.walproposer;

import com.google.protobuf.ByteString;
import io.xenondb.shared.lsn.Lsn;

/** Re-reads the compute's own WAL for a WAL node that fell behind the proposer's in-memory buffer. */
interface LocalWalSource {
    /**
     * The WAL bytes {@code [begin, end)}, all of them.
     *
     * @throws io.xenondb.shared.error.XenonException if they are no longer (or not) there
     */
    ByteString read(Lsn begin, Lsn end);
}
