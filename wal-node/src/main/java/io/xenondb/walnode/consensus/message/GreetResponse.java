package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import java.util.Objects;

/** The node's answer to a greeting: who it is and the highest term it has seen. */
public record GreetResponse(NodeId nodeId, Term term) {
    public GreetResponse {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(term, "term");
    }
}
