package io.xenondb.walnode.storage;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link WalStoreStats}: updated by the store's thread, read from any thread. */
final class WalStoreCounters {
    final AtomicLong writes = new AtomicLong();
    final AtomicLong writtenBytes = new AtomicLong();
    final AtomicLong writeNanos = new AtomicLong();
    final AtomicLong flushes = new AtomicLong();
    final AtomicLong fsyncs = new AtomicLong();
    final AtomicLong fsyncNanos = new AtomicLong();
    final AtomicLong segmentsCreated = new AtomicLong();
    final AtomicLong truncations = new AtomicLong();

    WalStoreStats snapshot() {
        return new WalStoreStats(
                writes.get(),
                writtenBytes.get(),
                writeNanos.get(),
                flushes.get(),
                fsyncs.get(),
                fsyncNanos.get(),
                segmentsCreated.get(),
                truncations.get());
    }
}
