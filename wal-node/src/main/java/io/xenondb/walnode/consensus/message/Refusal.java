package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.id.Term;
import java.util.Objects;

/** A WAL node's refusal of a request; it always carries the node's current term so a proposer learns it. */
public record Refusal(RefusalReason reason, Term term, String detail) implements ReadWalResult {
    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(term, "term");
        detail = detail == null ? "" : detail;
    }
}
