package io.xenondb.broker.hub;

import io.xenondb.broker.metrics.BrokerMetrics;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The broker's in-memory pub/sub hub. Subscribers ask for all timelines or one, and for some message types; every
 * subscriber has its own bounded buffer that keeps only the newest message per (type, timeline, sender), so a slow
 * subscriber gets the latest state of each timeline and never holds up a publisher or another subscriber. Publishing
 * is non-blocking and costs O(matching subscribers). Nothing is stored: a new subscriber hears only what is
 * published after it subscribed (WAL nodes republish about once a second).
 */
public final class BrokerHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerHub.class);
    private static final Subscriber[] NONE = new Subscriber[0];

    private final int timelineBuffer;
    private final int allKeysBuffer;
    private final Scheduler delivery;
    private final BrokerMetrics metrics;

    // Copy-on-write routing tables: publishers read them without locks; (un)subscribing replaces arrays under `routes`.
    private final Object routes = new Object();
    private volatile Subscriber[] allKeys = NONE;
    private final Map<TenantTimelineId, Subscriber[]> byTimeline = new ConcurrentHashMap<>();
    private final Sinks.Empty<Void> closedSignal = Sinks.empty();
    private long nextId;
    private volatile boolean closed;

    /**
     * @param timelineBuffer buffer size (distinct pending messages) of a subscriber to one timeline
     * @param allKeysBuffer buffer size of a subscriber to all timelines
     * @param delivery where subscribers' buffers are drained to their streams; one worker per subscriber
     */
    public BrokerHub(int timelineBuffer, int allKeysBuffer, Scheduler delivery, BrokerMetrics metrics) {
        if (timelineBuffer < 1 || allKeysBuffer < 1) {
            throw new IllegalArgumentException(
                    "buffer sizes: " + timelineBuffer + ", " + allKeysBuffer + " (expected: >= 1)");
        }
        this.timelineBuffer = timelineBuffer;
        this.allKeysBuffer = allKeysBuffer;
        this.delivery = delivery;
        this.metrics = metrics;
    }

    /**
     * The messages matching {@code filter} published from the moment the returned flux is subscribed until it is
     * cancelled. It honours back-pressure through conflation and completes when the hub closes.
     *
     * @param peer who subscribes, for log lines
     */
    public Flux<BrokerMessage> subscribe(SubscriptionFilter filter, String peer) {
        return Flux.create(sink -> {
            Subscriber subscriber = register(filter, peer, sink);
            if (subscriber == null) {
                sink.error(new XenonException(ErrorCode.UNAVAILABLE, "broker is shutting down"));
                return;
            }
            sink.onDispose(() -> unregister(subscriber));
            sink.onRequest(n -> subscriber.requested());
        });
    }

    /**
     * Hands {@code message} to every matching subscriber's buffer and returns; never blocks, never emits.
     *
     * @throws XenonException UNAVAILABLE once the hub is closed
     */
    public void publish(BrokerMessage message) {
        if (closed) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "broker is shutting down");
        }
        metrics.processed();
        for (Subscriber subscriber : allKeys) {
            subscriber.offer(message);
        }
        Subscriber[] forTimeline = byTimeline.get(message.key().timeline());
        if (forTimeline != null) {
            for (Subscriber subscriber : forTimeline) {
                subscriber.offer(message);
            }
        }
    }

    /** Open subscriptions. */
    public int subscriberCount() {
        synchronized (routes) {
            return allKeys.length
                    + byTimeline.values().stream().mapToInt(s -> s.length).sum();
        }
    }

    /** Completes when the hub closes, so that callers can end work that would otherwise wait (e.g. publish streams). */
    public Mono<Void> closed() {
        return closedSignal.asMono();
    }

    /** Refuses new subscriptions and publications and completes every open subscription. */
    @Override
    public void close() {
        List<Subscriber> open;
        synchronized (routes) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(Arrays.asList(allKeys));
            byTimeline.values().forEach(subscribers -> open.addAll(Arrays.asList(subscribers)));
        }
        open.forEach(Subscriber::complete);
        closedSignal.tryEmitEmpty();
        LOG.info("broker hub closed, completed {} subscriptions", open.size());
    }

    private Subscriber register(SubscriptionFilter filter, String peer, FluxSink<BrokerMessage> sink) {
        Subscriber subscriber;
        synchronized (routes) {
            if (closed) {
                return null;
            }
            int capacity = filter.allTimelines() ? allKeysBuffer : timelineBuffer;
            subscriber = new Subscriber(nextId++, filter, peer, capacity, metrics, sink, delivery.createWorker());
            if (filter.allTimelines()) {
                allKeys = append(allKeys, subscriber);
            } else {
                byTimeline.compute(filter.timeline(), (k, old) -> append(old == null ? NONE : old, subscriber));
            }
        }
        metrics.subscriberOpened(filter.allTimelines());
        LOG.info("subscription started id={} key={} peer={}", subscriber.id, filter, peer);
        return subscriber;
    }

    private void unregister(Subscriber subscriber) {
        synchronized (routes) {
            if (subscriber.filter.allTimelines()) {
                allKeys = remove(allKeys, subscriber);
            } else {
                byTimeline.computeIfPresent(subscriber.filter.timeline(), (k, old) -> {
                    Subscriber[] left = remove(old, subscriber);
                    return left.length == 0 ? null : left;
                });
            }
        }
        subscriber.dispose();
        metrics.subscriberClosed(subscriber.filter.allTimelines());
        LOG.info(
                "subscription ended id={} key={} peer={} {}",
                subscriber.id,
                subscriber.filter,
                subscriber.peer,
                subscriber.stats());
    }

    private static Subscriber[] append(Subscriber[] subscribers, Subscriber added) {
        Subscriber[] grown = Arrays.copyOf(subscribers, subscribers.length + 1);
        grown[subscribers.length] = added;
        return grown;
    }

    private static Subscriber[] remove(Subscriber[] subscribers, Subscriber removed) {
        for (int i = 0; i < subscribers.length; i++) {
            if (subscribers[i] == removed) {
                Subscriber[] shrunk = new Subscriber[subscribers.length - 1];
                System.arraycopy(subscribers, 0, shrunk, 0, i);
                System.arraycopy(subscribers, i + 1, shrunk, i, subscribers.length - i - 1);
                return shrunk;
            }
        }
        return subscribers;
    }
}
