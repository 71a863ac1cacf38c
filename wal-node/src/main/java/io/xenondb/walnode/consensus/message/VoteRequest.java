package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import java.util.Objects;

/** A proposer asks for the node's vote in {@code term}. */
public record VoteRequest(TenantTimelineId timeline, Term term) implements ProposerMessage {
    public VoteRequest {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(term, "term");
    }
}
