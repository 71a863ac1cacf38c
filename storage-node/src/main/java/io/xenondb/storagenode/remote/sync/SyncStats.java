package io.xenondb.storagenode.remote.sync;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the remote sync, for metrics and tests. Thread-safe. */
public final class SyncStats {
    private final AtomicLong filesUploaded = new AtomicLong();
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final AtomicLong indexesUploaded = new AtomicLong();
    private final AtomicLong objectsDeleted = new AtomicLong();
    private final AtomicLong deletionsRefused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    void fileUploaded(long bytes) {
        filesUploaded.incrementAndGet();
        bytesUploaded.addAndGet(bytes);
    }

    void indexUploaded() {
        indexesUploaded.incrementAndGet();
    }

    void deleted(int objects) {
        objectsDeleted.addAndGet(objects);
    }

    void deletionRefused() {
        deletionsRefused.incrementAndGet();
    }

    void failed() {
        failures.incrementAndGet();
    }

    public long filesUploaded() {
        return filesUploaded.get();
    }

    public long bytesUploaded() {
        return bytesUploaded.get();
    }

    public long indexesUploaded() {
        return indexesUploaded.get();
    }

    public long objectsDeleted() {
        return objectsDeleted.get();
    }

    /** Deletions a stale generation or a non-single attachment was refused (the objects stayed). */
    public long deletionsRefused() {
        return deletionsRefused.get();
    }

    /** Sync passes of a timeline that failed (each is retried with backoff). */
    public long failures() {
        return failures.get();
    }
}
