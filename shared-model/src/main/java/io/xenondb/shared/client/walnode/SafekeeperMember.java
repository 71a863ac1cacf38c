package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.NodeId;

/** A member of a WAL-node set: id and where computes reach it (Neon's SafekeeperId). */
public record SafekeeperMember(
        @JsonProperty("id") NodeId id,
        @JsonProperty("host") String host,
        @JsonProperty("pg_port") int pgPort) {}
