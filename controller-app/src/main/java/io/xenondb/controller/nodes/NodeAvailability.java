package io.xenondb.controller.nodes;

/** Neon's node availability: observed, never persisted. */
public enum NodeAvailability {
    Active,
    WarmingUp,
    Offline
}
