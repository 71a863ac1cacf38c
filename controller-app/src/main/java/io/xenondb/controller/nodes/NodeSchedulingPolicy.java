package io.xenondb.controller.nodes;

/** Neon's {@code NodeSchedulingPolicy}: whether new tenant shards may be placed on a node (only when Active). */
public enum NodeSchedulingPolicy {
    Active,
    Filling,
    Pause,
    PauseForRestart,
    Draining,
    Deleting
}
