package io.xenondb.controller.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/**
 * {@code POST /upcall/v1/re-attach} (Neon's {@code ReAttachRequest}): a storage node starting up asks for the
 * tenant shards it holds, optionally registering itself first.
 *
 * @param register the node's {@code NodeRegisterRequest}, for a node that registers itself
 * @param emptyLocalDisk the node lost its local state (informational: every shard is attached again anyway)
 */
public record ReAttachRequest(
        @JsonProperty("node_id") Long nodeId,
        @JsonProperty("register") NodeRegistration register,
        @JsonProperty("empty_local_disk") Boolean emptyLocalDisk) {
    public ReAttachRequest {
        if (nodeId == null) {
            throw invalid("node_id: missing (expected: a number)");
        }
        if (nodeId < 0) {
            throw invalid("node_id: " + nodeId + " (expected: 0 or more)");
        }
        if (register != null && !register.nodeId().equals(nodeId)) {
            throw invalid("register.node_id: " + register.nodeId() + " (expected: " + nodeId
                    + ", the node_id of the request)");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
