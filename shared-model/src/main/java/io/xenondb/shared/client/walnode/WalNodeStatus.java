package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.NodeId;
import java.util.Objects;

/** {@code GET /v1/status}: the node's id (Neon's SafekeeperStatus). */
public record WalNodeStatus(@JsonProperty("id") NodeId id) {
    public WalNodeStatus {
        Objects.requireNonNull(id, "id");
    }
}
