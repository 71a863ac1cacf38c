package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;

/** One entry of a term history: from {@code lsn} on, WAL was written in {@code term} (Neon's TermSwitchApiEntry). */
public record TermSwitchEntry(
        @JsonProperty("term") Term term,
        @JsonProperty("lsn") Lsn lsn) {}
