package io.xenondb.controller.service;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs tasks keyed by tenant shard with at most {@code concurrency} running at once and never two of one key at
 * once: a task asked for while its key runs waits for that run to end, and every request arriving meanwhile shares
 * that one next run (it re-reads the state, so one run serves them all). Tasks run to their end whoever stops
 * listening; {@link #close()} cancels them.
 *
 * @param <V> what a task answers
 */
public final class ReconcileQueue<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileQueue.class);

    /** Told the number of running and waiting tasks after every change. */
    public interface Listener {
        void tasks(long active, long queued);
    }

    private record Task<V>(String key, Sinks.One<V> result) {}

    /** A key with a run started or waiting for a slot; {@code next} collects the requests for the run after it. */
    private static final class Slot<V> {
        Sinks.One<V> next;
    }

    private final int concurrency;
    private final Function<String, Mono<V>> action;
    private final Listener listener;
    private final Map<String, Slot<V>> slots = new HashMap<>();
    private final Deque<Task<V>> waiting = new ArrayDeque<>();
    private final Sinks.Empty<Void> stopped = Sinks.empty();
    private int active;
    private int queued;
    private boolean closed;

    public ReconcileQueue(int concurrency, Function<String, Mono<V>> action, Listener listener) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: at least 1)");
        }
        this.concurrency = concurrency;
        this.action = action;
        this.listener = listener;
    }

    /** Runs the task of {@code key} (or joins the run already waiting for it); its answer. */
    public Mono<V> submit(String key) {
        return Mono.defer(() -> {
            Sinks.One<V> result;
            Task<V> start = null;
            synchronized (this) {
                if (closed) {
                    return Mono.error(new IllegalStateException("the reconciler is stopped"));
                }
                Slot<V> slot = slots.get(key);
                if (slot == null) {
                    slots.put(key, new Slot<>());
                    result = Sinks.one();
                    start = admit(new Task<>(key, result));
                } else {
                    if (slot.next == null) {
                        slot.next = Sinks.one();
                        queued++;
                    }
                    result = slot.next;
                }
                report();
            }
            if (start != null) {
                run(start);
            }
            return result.asMono();
        });
    }

    /** Takes a slot for {@code task} and answers it, or queues it and answers null. Called holding the lock. */
    private Task<V> admit(Task<V> task) {
        if (active < concurrency) {
            active++;
            return task;
        }
        waiting.addLast(task);
        queued++;
        return null;
    }

    private void run(Task<V> task) {
        Mono<V> work;
        try {
            work = action.apply(task.key());
        } catch (RuntimeException e) {
            work = Mono.error(e);
        }
        // Cancelled by close(): answered empty, as a task that found nothing to do.
        work.map(Optional::of)
                .takeUntilOther(stopped.asMono())
                .defaultIfEmpty(Optional.empty())
                .subscribe(v -> finish(task, v.orElse(null), null), e -> finish(task, null, e));
    }

    private void finish(Task<V> task, V value, Throwable error) {
        Deque<Task<V>> start = new ArrayDeque<>();
        synchronized (this) {
            active--;
            Slot<V> slot = slots.get(task.key());
            if (!closed && slot != null && slot.next != null) {
                // The key's next run queues behind the tasks already waiting (it stays counted as queued), and
                // the slot stays taken, so the key still never runs twice at once.
                waiting.addLast(new Task<>(task.key(), slot.next));
                slot.next = null;
            } else {
                slots.remove(task.key());
            }
            while (!closed && active < concurrency && !waiting.isEmpty()) {
                Task<V> t = waiting.removeFirst();
                queued--;
                active++;
                start.add(t);
            }
            report();
        }
        if (error != null) {
            task.result().tryEmitError(error);
        } else if (value != null) {
            task.result().tryEmitValue(value);
        } else {
            task.result().tryEmitEmpty();
        }
        start.forEach(this::run);
    }

    private void report() {
        try {
            listener.tasks(active, queued);
        } catch (RuntimeException e) {
            LOG.warn("reconcile task listener failed: {}", e.toString());
        }
    }

    public synchronized long active() {
        return active;
    }

    public synchronized long queued() {
        return queued;
    }

    @Override
    public void close() {
        Deque<Sinks.One<V>> dropped = new ArrayDeque<>();
        synchronized (this) {
            closed = true;
            waiting.forEach(t -> dropped.add(t.result()));
            waiting.clear();
            slots.values().stream().filter(s -> s.next != null).forEach(s -> dropped.add(s.next));
        }
        stopped.tryEmitEmpty();
        dropped.forEach(sink -> sink.tryEmitError(new IllegalStateException("the reconciler is stopped")));
    }
}
