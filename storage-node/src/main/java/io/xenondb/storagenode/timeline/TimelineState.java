package io.xenondb.storagenode.timeline;

/** A timeline's lifecycle state, as Neon's TimelineInfo {@code state} shows it. */
public enum TimelineState {
    Loading,
    Active,
    Stopping,
    Broken
}
