package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;
import java.util.Optional;

/**
 * The node's progress after an fsync (one response may acknowledge several appends), or a refusal. A refusal's
 * flush LSN says where the node's WAL ends; it acknowledges nothing.
 */
public record AppendResponse(NodeId nodeId, Term term, Lsn flushLsn, Lsn commitLsn, Optional<Refusal> refusal) {
    public AppendResponse {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(flushLsn, "flushLsn");
        Objects.requireNonNull(commitLsn, "commitLsn");
        Objects.requireNonNull(refusal, "refusal");
    }
}
