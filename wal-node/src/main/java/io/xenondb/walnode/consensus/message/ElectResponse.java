package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;
import java.util.Optional;

/** The node's answer to Elect: its term and flushed WAL end (the streaming start when accepted). */
public record ElectResponse(NodeId nodeId, Term term, Lsn flushLsn, Optional<Refusal> refusal) {
    public ElectResponse {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(flushLsn, "flushLsn");
        Objects.requireNonNull(refusal, "refusal");
    }
}
