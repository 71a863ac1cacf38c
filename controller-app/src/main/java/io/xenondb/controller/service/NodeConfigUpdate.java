package io.xenondb.controller.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.controller.nodes.NodeAvailability;
import io.xenondb.controller.nodes.NodeSchedulingPolicy;

/** {@code PUT /control/v1/node/{id}/config} (Neon's {@code NodeConfigureRequest}): each field optional. */
public record NodeConfigUpdate(
        @JsonProperty("node_id") Long nodeId,
        @JsonProperty("availability") NodeAvailability availability,
        @JsonProperty("scheduling") NodeSchedulingPolicy scheduling) {}
