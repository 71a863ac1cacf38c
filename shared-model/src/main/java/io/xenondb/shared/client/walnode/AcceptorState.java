package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.Term;
import java.util.List;

/**
 * A node's consensus state (Neon's AcceptorStateStatus): the highest term it voted for or accepted, the term of
 * its last WAL ({@code epoch}, Neon's old name for last_log_term), and the term history it adopted.
 */
public record AcceptorState(
        @JsonProperty("term") Term term,
        @JsonProperty("epoch") Term epoch,
        @JsonProperty("term_history") List<TermSwitchEntry> termHistory) {
    public AcceptorState {
        termHistory = termHistory == null ? List.of() : List.copyOf(termHistory);
    }
}
