package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.Term;

/** {@code POST .../term_bump}: raise the term to {@code term}, or by one when null (Neon's TimelineTermBumpRequest). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TermBumpRequest(@JsonProperty("term") Term term) {}
