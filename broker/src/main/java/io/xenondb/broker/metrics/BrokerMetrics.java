package io.xenondb.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every metric of the broker. Names follow Neon's storage_broker ({@code storage_broker_*} in Prometheus form);
 * {@code storage_broker_conflated_messages_total} is Xenon's own, since Neon's broker does not conflate.
 */
public final class BrokerMetrics {
    private final AtomicLong publishers = new AtomicLong();
    private final AtomicLong timelineSubscribers = new AtomicLong();
    private final AtomicLong allKeysSubscribers = new AtomicLong();
    private final Counter processed;
    private final Counter broadcasted;
    private final Counter dropped;
    private final Counter conflated;
    private final Counter oneOff;

    public BrokerMetrics(MeterRegistry registry) {
        Gauge.builder("storage.broker.active.publishers", publishers, AtomicLong::get)
                .description("Number of publications (open PublishSafekeeperInfo streams)")
                .register(registry);
        Gauge.builder("storage.broker.per.timeline.active.subscribers", timelineSubscribers, AtomicLong::get)
                .description("Number of subscriptions to a particular tenant timeline id")
                .register(registry);
        Gauge.builder("storage.broker.all.keys.active.subscribers", allKeysSubscribers, AtomicLong::get)
                .description("Number of subscriptions to all keys")
                .register(registry);
        processed = Counter.builder("storage.broker.processed.messages")
                .description("Number of messages received by the broker, before routing and broadcasting")
                .register(registry);
        broadcasted = Counter.builder("storage.broker.broadcasted.messages")
                .description("Number of messages broadcasted (sent over network) to subscribers")
                .register(registry);
        dropped = Counter.builder("storage.broker.broadcast.dropped.messages")
                .description("Number of messages dropped because a subscriber's buffer was full")
                .register(registry);
        conflated = Counter.builder("storage.broker.conflated.messages")
                .description("Number of messages replaced by a newer one of the same type, timeline and sender "
                        + "before a slow subscriber took them")
                .register(registry);
        oneOff = Counter.builder("storage.broker.published.oneoff.messages")
                .description("Number of one-off messages sent via PublishOne method")
                .register(registry);
    }

    public void publisherOpened() {
        publishers.incrementAndGet();
    }

    public void publisherClosed() {
        publishers.decrementAndGet();
    }

    public void subscriberOpened(boolean allKeys) {
        (allKeys ? allKeysSubscribers : timelineSubscribers).incrementAndGet();
    }

    public void subscriberClosed(boolean allKeys) {
        (allKeys ? allKeysSubscribers : timelineSubscribers).decrementAndGet();
    }

    public void processed() {
        processed.increment();
    }

    public void broadcasted() {
        broadcasted.increment();
    }

    public void dropped() {
        dropped.increment();
    }

    public void conflated() {
        conflated.increment();
    }

    public void publishedOneOff() {
        oneOff.increment();
    }
}
