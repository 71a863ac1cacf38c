package io.xenondb.storagenode.timeline;

import io.xenondb.shared.lsn.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** Futures completed once a timeline's WAL reaches an LSN: reads at an LSN the WAL has not reached yet wait here. */
final class LsnWaiters {
    private final TreeMap<Lsn, List<CompletableFuture<Lsn>>> waiting = new TreeMap<>();
    private Lsn reached;

    LsnWaiters(Lsn reached) {
        this.reached = reached;
    }

    /** Completes when the WAL reaches {@code lsn}, with the LSN reached then; at once if it already has. */
    synchronized CompletableFuture<Lsn> waitFor(Lsn lsn) {
        if (lsn.compareTo(reached) <= 0) {
            return CompletableFuture.completedFuture(reached);
        }
        CompletableFuture<Lsn> future = new CompletableFuture<>();
        waiting.computeIfAbsent(lsn, k -> new ArrayList<>()).add(future);
        return future;
    }

    /** The WAL now reaches {@code lsn}. */
    void advance(Lsn lsn) {
        List<CompletableFuture<Lsn>> due = new ArrayList<>();
        synchronized (this) {
            reached = lsn;
            Map<Lsn, List<CompletableFuture<Lsn>>> head = waiting.headMap(lsn, true);
            head.values().forEach(due::addAll);
            head.clear();
        }
        due.forEach(f -> f.complete(lsn));
    }

    /** Fails every waiter (the timeline is going away). */
    void failAll(RuntimeException why) {
        List<CompletableFuture<Lsn>> due = new ArrayList<>();
        synchronized (this) {
            waiting.values().forEach(due::addAll);
            waiting.clear();
        }
        due.forEach(f -> f.completeExceptionally(why));
    }
}
