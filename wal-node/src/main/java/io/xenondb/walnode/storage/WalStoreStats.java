package io.xenondb.walnode.storage;

/**
 * Counters of one {@link FileWalStore} since it was opened, for the service layer to export. Named after
 * Neon's safekeeper metrics where one exists:
 *
 * <ul>
 *   <li>{@code writtenBytes}: {@code safekeeper_written_wal_bytes_total} (and the sum of
 *       {@code safekeeper_write_wal_bytes});
 *   <li>{@code writeNanos}: {@code safekeeper_written_wal_seconds_total} (time in write calls, not fsync);
 *   <li>{@code fsyncs} and {@code fsyncNanos}: count and sum of {@code safekeeper_flush_wal_seconds}, also
 *       {@code safekeeper_flushed_wal_seconds_total} — one per segment file synced by a flush;
 *   <li>{@code flushes}: flush calls that had something to sync (group commits);
 *   <li>{@code segmentsCreated}, {@code truncations}: Xenon's own.
 * </ul>
 */
public record WalStoreStats(
        long writes,
        long writtenBytes,
        long writeNanos,
        long flushes,
        long fsyncs,
        long fsyncNanos,
        long segmentsCreated,
        long truncations) {}
