package io.xenondb.walnode.consensus.message;

import com.google.protobuf.ByteString;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;

/**
 * WAL bytes {@code [beginLsn, beginLsn + walData.size())} as stored, and the node's commit LSN when they were
 * read. An empty chunk means nothing is available at {@code beginLsn} yet.
 */
public record WalChunk(Lsn beginLsn, ByteString walData, Lsn commitLsn) implements ReadWalResult {
    public WalChunk {
        Objects.requireNonNull(beginLsn, "beginLsn");
        Objects.requireNonNull(walData, "walData");
        Objects.requireNonNull(commitLsn, "commitLsn");
    }

    public Lsn endLsn() {
        return beginLsn.plus(walData.size());
    }
}
