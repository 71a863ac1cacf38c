package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.Term;

/** The term before and after a term bump (Neon's TimelineTermBumpResponse). */
public record TermBumpResponse(
        @JsonProperty("previous_term") Term previousTerm,
        @JsonProperty("current_term") Term currentTerm) {}
