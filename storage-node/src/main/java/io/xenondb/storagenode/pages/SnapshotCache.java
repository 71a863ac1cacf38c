package io.xenondb.storagenode.pages;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.tenant.Tenant;
import io.xenondb.storagenode.timeline.Timeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The snapshots made lately, so that repeated reads at one LSN cost one recovery: at most {@code capacity}
 * directories, each removed when it has been idle for {@code idle} or is the least recently used one over the
 * capacity. Concurrent first reads of one LSN share one materialisation; a snapshot is deleted only once no read
 * uses it; a failed materialisation is not remembered.
 */
public final class SnapshotCache implements AutoCloseable {
    private final Materialiser materialiser;
    private final int capacity;
    private final Duration idle;
    private final Clock clock;
    private final Semaphore recoveries;
    private final Map<PageSnapshot.Key, Entry> entries = new LinkedHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("page-snapshot-sweeper").daemon().factory());
    private boolean closed;

    private static final class Entry {
        final PageSnapshot.Key key;
        final CompletableFuture<PageSnapshot> snapshot = new CompletableFuture<>();
        int users;
        long lastUsedMillis;
        boolean removed;

        Entry(PageSnapshot.Key key, long now) {
            this.key = key;
            this.lastUsedMillis = now;
        }

        boolean ready() {
            return snapshot.isDone() && !snapshot.isCompletedExceptionally();
        }
    }

    /**
     * @param concurrentRecoveries how many PostgreSQL recoveries may run at once (each is a server process)
     */
    public SnapshotCache(
            Materialiser materialiser, int capacity, Duration idle, int concurrentRecoveries, Clock clock) {
        if (capacity < 1 || concurrentRecoveries < 1 || idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("capacity " + capacity + ", concurrent recoveries "
                    + concurrentRecoveries + ", idle " + idle + " (expected: positive)");
        }
        this.materialiser = materialiser;
        this.capacity = capacity;
        this.idle = idle;
        this.clock = clock;
        this.recoveries = new Semaphore(concurrentRecoveries, true);
        removeLeftovers(materialiser.root());
        long period = Math.max(1000, Math.min(idle.toMillis() / 2, 30_000));
        sweeper.scheduleWithFixedDelay(this::evictIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Applies {@code reader} to a snapshot of {@code timeline} at {@code lsn}, or, when one is at hand, at the
     * newest LSN in {@code [oldestUsable, lsn]} (the caller knows that what it reads did not change after
     * {@code oldestUsable}). Blocks while the snapshot is made.
     */
    public <T> T read(Tenant tenant, Timeline timeline, Lsn oldestUsable, Lsn lsn, Function<PageSnapshot, T> reader) {
        PageSnapshot.Key key = new PageSnapshot.Key(tenant.id(), timeline.id(), lsn);
        Entry entry;
        boolean owner = false;
        synchronized (this) {
            if (closed) {
                throw new XenonException(ErrorCode.UNAVAILABLE, "the page service is shutting down");
            }
            entry = find(key, oldestUsable);
            if (entry == null) {
                entry = new Entry(key, clock.millis());
                entries.put(key, entry);
                owner = true;
            }
            entry.users++;
        }
        try {
            if (owner) {
                make(entry, tenant, timeline, lsn);
            }
            return reader.apply(await(entry));
        } finally {
            release(entry);
        }
    }

    /** A usable entry: the exact one (also while it is being made), else the newest ready one in range. */
    private Entry find(PageSnapshot.Key key, Lsn oldestUsable) {
        Entry exact = entries.get(key);
        if (exact != null) {
            return exact;
        }
        Entry best = null;
        for (Entry e : entries.values()) {
            boolean sameTimeline =
                    e.key.tenant().equals(key.tenant()) && e.key.timeline().equals(key.timeline());
            Lsn at = e.key.lsn();
            if (sameTimeline
                    && e.ready()
                    && !at.isBefore(oldestUsable)
                    && !at.isAfter(key.lsn())
                    && (best == null || at.isAfter(best.key.lsn()))) {
                best = e;
            }
        }
        return best;
    }

    private void make(Entry entry, Tenant tenant, Timeline timeline, Lsn lsn) {
        try {
            recoveries.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            XenonException failure =
                    new XenonException(ErrorCode.UNAVAILABLE, "interrupted waiting to materialise " + lsn);
            forget(entry, failure);
            throw failure;
        }
        try {
            entry.snapshot.complete(materialiser.materialise(tenant, timeline, lsn));
        } catch (RuntimeException e) {
            forget(entry, e);
        } finally {
            recoveries.release();
        }
    }

    private void forget(Entry entry, RuntimeException failure) {
        synchronized (this) {
            if (entries.get(entry.key) == entry) {
                entries.remove(entry.key);
            }
            entry.removed = true;
        }
        entry.snapshot.completeExceptionally(failure);
    }

    private static PageSnapshot await(Entry entry) {
        try {
            return entry.snapshot.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void release(Entry entry) {
        List<PageSnapshot> doomed = new ArrayList<>();
        synchronized (this) {
            entry.users--;
            entry.lastUsedMillis = clock.millis();
            if (entry.removed && entry.users == 0 && entry.ready()) {
                doomed.add(entry.snapshot.join());
            }
            doomed.addAll(overCapacity());
        }
        doomed.forEach(materialiser::discard);
    }

    /** Removes the least recently used unused entries beyond the capacity; returns their snapshots. */
    private List<PageSnapshot> overCapacity() {
        List<PageSnapshot> doomed = new ArrayList<>();
        if (entries.size() <= capacity) {
            return doomed;
        }
        List<Entry> idleOnes = entries.values().stream()
                .filter(e -> e.users == 0 && e.ready())
                .sorted(Comparator.comparingLong(e -> e.lastUsedMillis))
                .toList();
        for (Entry e : idleOnes) {
            if (entries.size() <= capacity) {
                break;
            }
            doomed.add(remove(e));
        }
        return doomed;
    }

    private PageSnapshot remove(Entry e) {
        entries.remove(e.key);
        e.removed = true;
        return e.snapshot.join();
    }

    /** Removes the snapshots nobody has read for the idle time. */
    public void evictIdle() {
        List<PageSnapshot> doomed = new ArrayList<>();
        synchronized (this) {
            long now = clock.millis();
            for (Entry e : List.copyOf(entries.values())) {
                if (e.users == 0 && e.ready() && now - e.lastUsedMillis >= idle.toMillis()) {
                    doomed.add(remove(e));
                }
            }
        }
        doomed.forEach(materialiser::discard);
    }

    /** The LSNs of the snapshots held now, per timeline key (for tests and metrics). */
    public synchronized List<PageSnapshot.Key> keys() {
        return List.copyOf(entries.keySet());
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        List<PageSnapshot> doomed = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Entry e : List.copyOf(entries.values())) {
                if (e.users == 0 && e.ready()) {
                    doomed.add(remove(e));
                } else {
                    e.removed = true; // deleted by its last reader
                }
            }
            entries.clear();
        }
        doomed.forEach(materialiser::discard);
    }

    private static void removeLeftovers(Path root) {
        try {
            Files.createDirectories(root);
            try (var dirs = Files.list(root)) {
                dirs.forEach(Materialiser::deleteRecursively);
            }
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "page snapshot directory " + root + ": " + e, e);
        }
    }
}
