package io.xenondb.broker.hub;

import static io.xenondb.broker.hub.Messages.discoveryRequest;
import static io.xenondb.broker.hub.Messages.state;
import static io.xenondb.broker.hub.Messages.timeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xenondb.broker.metrics.BrokerMetrics;
import io.xenondb.proto.broker.MessageType;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Schedulers;

/**
 * Hub semantics with deliveries run inline (immediate scheduler), so every step is deterministic: routing, filters,
 * conflation, bounded buffers, per-key order, removal and closing.
 */
class BrokerHubTest {
    private static final Set<MessageType> STATE = Set.of(MessageType.SAFEKEEPER_TIMELINE_INFO);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BrokerMetrics metrics = new BrokerMetrics(registry);
    private final BrokerHub hub = new BrokerHub(4, 8, Schedulers.immediate(), metrics);

    @AfterEach
    void closeHub() {
        hub.close();
    }

    @Test
    void routesToAllKeysAndToOneTimelineSubscribers() {
        Recorder all = subscribe(SubscriptionFilter.all(STATE), Long.MAX_VALUE);
        Recorder two = subscribe(SubscriptionFilter.timeline(timeline(2), STATE), Long.MAX_VALUE);

        hub.publish(state(1, 1, 10));
        hub.publish(state(2, 1, 20));

        assertThat(all.lsns()).containsExactly(10L, 20L);
        assertThat(two.lsns()).containsExactly(20L);
        assertThat(counter("storage.broker.processed.messages")).isEqualTo(2);
        assertThat(counter("storage.broker.broadcasted.messages")).isEqualTo(3);
    }

    @Test
    void typesFilterWhatIsDelivered() {
        Recorder requests =
                subscribe(SubscriptionFilter.all(Set.of(MessageType.SAFEKEEPER_DISCOVERY_REQUEST)), Long.MAX_VALUE);
        Recorder nothing = subscribe(SubscriptionFilter.all(Set.of()), Long.MAX_VALUE);
        Recorder states = subscribe(SubscriptionFilter.timeline(timeline(3), STATE), Long.MAX_VALUE);

        hub.publish(state(3, 1, 30));
        hub.publish(discoveryRequest(3));

        assertThat(requests.received)
                .extracting(BrokerMessage::type)
                .containsExactly(MessageType.SAFEKEEPER_DISCOVERY_REQUEST);
        assertThat(nothing.received).isEmpty();
        assertThat(states.lsns()).containsExactly(30L);
    }

    @Test
    void slowSubscriberGetsOnlyTheNewestStatePerTimelineAndSender() {
        Recorder slow = subscribe(SubscriptionFilter.all(STATE), 0);
        Recorder fast = subscribe(SubscriptionFilter.all(STATE), Long.MAX_VALUE);

        for (long lsn = 1; lsn <= 100; lsn++) {
            hub.publish(state(1, 1, lsn));
            hub.publish(state(1, 2, 1000 + lsn));
            hub.publish(state(2, 1, 2000 + lsn));
        }
        assertThat(fast.received).hasSize(300);
        assertThat(slow.received).isEmpty();

        slow.request(Long.MAX_VALUE);

        // First-published keys first; each with its newest value.
        assertThat(slow.lsns()).containsExactly(100L, 1100L, 2100L);
        assertThat(counter("storage.broker.conflated.messages")).isEqualTo(297);
        assertThat(counter("storage.broker.broadcast.dropped.messages")).isZero();
    }

    @Test
    void fullBufferDropsTheOldestPendingKey() {
        Recorder slow = subscribe(SubscriptionFilter.timeline(timeline(1), STATE), 0);

        for (int safekeeper = 1; safekeeper <= 10; safekeeper++) {
            hub.publish(state(1, safekeeper, safekeeper));
        }
        slow.request(Long.MAX_VALUE);

        assertThat(slow.lsns()).as("buffer of 4 keeps the 4 newest keys").containsExactly(7L, 8L, 9L, 10L);
        assertThat(counter("storage.broker.broadcast.dropped.messages")).isEqualTo(6);
    }

    @Test
    void eachKeyIsDeliveredInPublicationOrder() {
        Recorder stepwise = subscribe(SubscriptionFilter.all(STATE), 1);
        List<Long> seen = new ArrayList<>();

        for (long lsn = 1; lsn <= 50; lsn++) {
            hub.publish(state(1, 1, lsn));
            if (lsn % 7 == 0) {
                stepwise.request(1);
            }
        }
        stepwise.request(Long.MAX_VALUE);
        seen.addAll(stepwise.lsns());

        assertThat(seen).isSorted().doesNotHaveDuplicates().endsWith(50L);
        assertThat(seen).hasSizeLessThan(50).contains(1L);
    }

    @Test
    void cancelledSubscriberIsRemovedAtOnce() {
        Recorder gone = subscribe(SubscriptionFilter.timeline(timeline(1), STATE), Long.MAX_VALUE);
        Recorder all = subscribe(SubscriptionFilter.all(STATE), Long.MAX_VALUE);
        assertThat(hub.subscriberCount()).isEqualTo(2);
        assertThat(gauge("storage.broker.per.timeline.active.subscribers")).isEqualTo(1);

        gone.cancel();
        hub.publish(state(1, 1, 5));

        assertThat(hub.subscriberCount()).isEqualTo(1);
        assertThat(gauge("storage.broker.per.timeline.active.subscribers")).isZero();
        assertThat(gauge("storage.broker.all.keys.active.subscribers")).isEqualTo(1);
        assertThat(gone.received).isEmpty();
        assertThat(all.lsns()).containsExactly(5L);
    }

    @Test
    void closeCompletesStreamsAndRefusesNewWork() {
        Recorder open = subscribe(SubscriptionFilter.all(STATE), Long.MAX_VALUE);

        hub.close();

        assertThat(open.completed).isTrue();
        assertThat(hub.subscriberCount()).isZero();
        assertThatThrownBy(() -> hub.publish(state(1, 1, 1)))
                .isInstanceOf(XenonException.class)
                .extracting(e -> ((XenonException) e).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
        Recorder late = subscribe(SubscriptionFilter.all(STATE), Long.MAX_VALUE);
        assertThat(late.error.get()).isInstanceOf(XenonException.class).hasMessage("broker is shutting down");
    }

    private Recorder subscribe(SubscriptionFilter filter, long initialDemand) {
        Recorder recorder = new Recorder(initialDemand);
        hub.subscribe(filter, "test").subscribe(recorder);
        return recorder;
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    /** A subscriber with explicit demand that records what it receives. */
    static final class Recorder extends BaseSubscriber<BrokerMessage> {
        final List<BrokerMessage> received = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        volatile boolean completed;
        private final long initialDemand;

        Recorder(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        @Override
        protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            if (initialDemand > 0) {
                request(initialDemand);
            }
        }

        @Override
        protected void hookOnNext(BrokerMessage value) {
            received.add(value);
        }

        @Override
        protected void hookOnComplete() {
            completed = true;
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error.set(throwable);
        }

        List<Long> lsns() {
            return received.stream().map(Messages::commitLsn).toList();
        }
    }
}
