package io.xenondb.walnode.timeline;

import io.xenondb.walnode.consensus.storage.ControlStore;
import io.xenondb.walnode.consensus.storage.WalStore;
import java.util.Objects;

/** The open stores of one timeline, and how to release them (files, channels) when the timeline is closed. */
public record TimelineStorage(WalStore wal, ControlStore control, Runnable closer) implements AutoCloseable {
    public TimelineStorage {
        Objects.requireNonNull(wal, "wal");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(closer, "closer");
    }

    @Override
    public void close() {
        closer.run();
    }
}
