package io.xenondb.broker.hub;

import io.xenondb.broker.metrics.BrokerMetrics;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * One subscription: a bounded buffer holding at most one pending message per {@link MessageKey}, drained to the
 * subscriber's sink on its own delivery worker as the subscriber asks for more. Publishers only touch the buffer
 * (a short critical section) and never emit, so a slow subscriber costs them nothing.
 */
final class Subscriber {
    /** Messages emitted per turn on the worker before yielding it to other subscribers sharing the thread. */
    private static final int BATCH = 256;

    final long id;
    final SubscriptionFilter filter;
    final String peer;

    private final int capacity;
    private final BrokerMetrics metrics;
    private final FluxSink<BrokerMessage> sink;
    private final Scheduler.Worker worker;

    private final Object lock = new Object();
    // Insertion-ordered; replacing a key keeps its place, so a hot timeline cannot starve the others.
    private final LinkedHashMap<MessageKey, BrokerMessage> pending = new LinkedHashMap<>();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean done;

    private long delivered;
    private long conflated;
    private long dropped;

    Subscriber(
            long id,
            SubscriptionFilter filter,
            String peer,
            int capacity,
            BrokerMetrics metrics,
            FluxSink<BrokerMessage> sink,
            Scheduler.Worker worker) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.id = id;
        this.filter = filter;
        this.peer = peer;
        this.capacity = capacity;
        this.metrics = metrics;
        this.sink = sink;
        this.worker = worker;
    }

    /** Buffers {@code message} if the filter wants it; the newest message per key wins, a full buffer drops its oldest. */
    void offer(BrokerMessage message) {
        if (done || !filter.matches(message)) {
            return;
        }
        boolean replaced;
        boolean evicted = false;
        synchronized (lock) {
            replaced = pending.replace(message.key(), message) != null;
            if (!replaced) {
                if (pending.size() >= capacity) {
                    Iterator<Map.Entry<MessageKey, BrokerMessage>> eldest =
                            pending.entrySet().iterator();
                    eldest.next();
                    eldest.remove();
                    evicted = true;
                    dropped++;
                }
                pending.put(message.key(), message);
            } else {
                conflated++;
            }
        }
        if (replaced) {
            metrics.conflated();
        }
        if (evicted) {
            metrics.dropped();
        }
        scheduleDrain();
    }

    /** The subscriber asked for more. */
    void requested() {
        scheduleDrain();
    }

    /** Ends the stream normally (broker shutting down); pending messages are discarded. */
    void complete() {
        try {
            worker.schedule(sink::complete);
        } catch (RejectedExecutionException alreadyGone) {
            // The worker is disposed only after the stream ended, so there is nothing left to complete.
        }
    }

    /** Called once the stream ended (cancelled, completed or failed): drops the buffer and frees the worker. */
    void dispose() {
        done = true;
        synchronized (lock) {
            pending.clear();
        }
        worker.dispose();
    }

    String stats() {
        synchronized (lock) {
            return "delivered=" + delivered + " conflated=" + conflated + " dropped=" + dropped;
        }
    }

    private void scheduleDrain() {
        if (wip.getAndIncrement() == 0) {
            try {
                worker.schedule(this::drain);
            } catch (RejectedExecutionException disposed) {
                // The subscription ended meanwhile; nothing is delivered any more.
            }
        }
    }

    /** Runs on the worker only (the wip counter lets exactly one run be in flight), so emissions are serial. */
    private void drain() {
        int missed = 1;
        int emitted = 0;
        while (true) {
            while (!done && !sink.isCancelled() && sink.requestedFromDownstream() > 0) {
                if (emitted == BATCH) {
                    // Keep wip raised: this run continues in a fresh task, after other subscribers had a turn.
                    reschedule();
                    return;
                }
                BrokerMessage next = poll();
                if (next == null) {
                    break;
                }
                sink.next(next);
                emitted++;
                metrics.broadcasted();
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void reschedule() {
        try {
            worker.schedule(this::drain);
        } catch (RejectedExecutionException disposed) {
            // The subscription ended meanwhile.
        }
    }

    private BrokerMessage poll() {
        synchronized (lock) {
            Iterator<BrokerMessage> first = pending.values().iterator();
            if (!first.hasNext()) {
                return null;
            }
            BrokerMessage message = first.next();
            first.remove();
            delivered++;
            return message;
        }
    }
}
