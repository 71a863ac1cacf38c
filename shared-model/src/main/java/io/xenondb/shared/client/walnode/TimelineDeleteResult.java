package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a deleted timeline existed on the node (Neon's TimelineDeleteResult). */
public record TimelineDeleteResult(
        @JsonProperty("dir_existed") boolean dirExisted) {}
