package io.xenondb.controller.nodes;

/**
 * Neon's {@code SkSchedulingPolicy}: a WAL node registers Activating, becomes Active once it answered, and only
 * Active nodes get new timelines. Neon spells Decomissioned this way; so do we, for the API's sake.
 */
public enum WalNodeSchedulingPolicy {
    Active,
    Activating,
    Pause,
    Decomissioned
}
