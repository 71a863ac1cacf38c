package io.xenondb.walnode.storage;

/**
 * Counters of one {@link FileControlStore} since it was opened: {@code persists} and {@code persistNanos} are
 * the count and sum of Neon's {@code safekeeper_persist_control_file_seconds}; {@code compactions} counts
 * rewrites of the log as a single record.
 */
public record ControlStoreStats(long persists, long persistNanos, long compactions) {}
