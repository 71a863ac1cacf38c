package io.xenondb.broker.hub;

import static io.xenondb.broker.hub.Messages.commitLsn;
import static io.xenondb.broker.hub.Messages.state;
import static io.xenondb.broker.hub.Messages.timeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xenondb.broker.hub.BrokerHubTest.Recorder;
import io.xenondb.broker.metrics.BrokerMetrics;
import io.xenondb.proto.broker.MessageType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Several publisher threads against fast, stalled and cancelling subscribers with real delivery threads. Seeded: a
 * failure names its seed, and the seed replays the same publications (thread interleaving aside).
 */
class BrokerHubConcurrencyTest {
    private static final Set<MessageType> STATE = Set.of(MessageType.SAFEKEEPER_TIMELINE_INFO);
    private static final int PUBLISHERS = 4;
    private static final int TIMELINES = 10;
    private static final int UPDATES_PER_PUBLISHER = 5_000;

    static LongStream seeds() {
        return LongStream.of(1L, 42L, System.nanoTime());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void stalledAndCancelledSubscribersNeverHoldUpPublishersOrOthers(long seed) throws Exception {
        Scheduler delivery = Schedulers.newParallel("delivery-test", 2);
        BrokerHub hub = new BrokerHub(4, 64, delivery, new BrokerMetrics(new SimpleMeterRegistry()));
        try {
            Recorder fastAll = subscribe(hub, SubscriptionFilter.all(STATE), Long.MAX_VALUE);
            List<Recorder> fastPerTimeline = new ArrayList<>();
            for (int t = 0; t < TIMELINES; t++) {
                fastPerTimeline.add(subscribe(hub, SubscriptionFilter.timeline(timeline(t), STATE), Long.MAX_VALUE));
            }
            Recorder stalledAll = subscribe(hub, SubscriptionFilter.all(STATE), 0);
            Recorder stalledOne = subscribe(hub, SubscriptionFilter.timeline(timeline(0), STATE), 0);
            Recorder cancelling = subscribe(hub, SubscriptionFilter.all(STATE), Long.MAX_VALUE);

            // Newest commit LSN per (timeline, safekeeper), as each publisher last sent it.
            Map<MessageKey, Long> last = new ConcurrentHashMap<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> publishers = new ArrayList<>();
            for (int p = 1; p <= PUBLISHERS; p++) {
                int safekeeper = p;
                Random random = new Random(seed * 31 + p);
                publishers.add(Thread.ofPlatform().start(() -> {
                    awaitQuietly(start);
                    for (long lsn = 1; lsn <= UPDATES_PER_PUBLISHER; lsn++) {
                        BrokerMessage message = state(random.nextInt(TIMELINES), safekeeper, lsn);
                        hub.publish(message);
                        last.put(message.key(), lsn);
                        if (lsn == UPDATES_PER_PUBLISHER / 2 && safekeeper == 1) {
                            cancelling.cancel();
                        }
                    }
                }));
            }
            long started = System.nanoTime();
            start.countDown();
            for (Thread publisher : publishers) {
                publisher.join(Duration.ofSeconds(20));
                assertThat(publisher.isAlive())
                        .as("seed %d: publisher blocked", seed)
                        .isFalse();
            }
            long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(publishMillis)
                    .as("seed %d: %d publications with stalled subscribers", seed, PUBLISHERS * UPDATES_PER_PUBLISHER)
                    .isLessThan(10_000);

            awaitLatest(fastAll, last, seed);
            for (int t = 0; t < TIMELINES; t++) {
                int timeline = t;
                Map<MessageKey, Long> ofTimeline = new HashMap<>();
                last.forEach((key, lsn) -> {
                    if (key.timeline().equals(timeline(timeline))) {
                        ofTimeline.put(key, lsn);
                    }
                });
                awaitLatest(fastPerTimeline.get(t), ofTimeline, seed);
                assertThat(fastPerTimeline.get(t).received)
                        .allMatch(m -> m.key().timeline().equals(timeline(timeline)));
            }
            assertIncreasingPerKey(fastAll, seed);

            // The stalled subscribers held one message per key (buffers are large enough here; eviction is unit
            // tested), and what they held is the newest state.
            assertThat(stalledAll.received).isEmpty();
            stalledAll.request(Long.MAX_VALUE);
            stalledOne.request(Long.MAX_VALUE);
            awaitSize(stalledOne, PUBLISHERS, seed);
            awaitSize(stalledAll, last.size(), seed);
            assertThat(stalledOne.received).allMatch(m -> commitLsn(m) == last.get(m.key()));
            assertThat(stalledAll.received).allMatch(m -> commitLsn(m) == last.get(m.key()));

            assertThat(cancelling.received.size()).isLessThan(PUBLISHERS * UPDATES_PER_PUBLISHER);
            assertThat(hub.subscriberCount()).isEqualTo(TIMELINES + 3);
        } finally {
            hub.close();
            delivery.dispose();
        }
    }

    private static Recorder subscribe(BrokerHub hub, SubscriptionFilter filter, long demand) {
        Recorder recorder = new Recorder(demand);
        hub.subscribe(filter, "test").subscribe(recorder);
        return recorder;
    }

    private static void awaitLatest(Recorder recorder, Map<MessageKey, Long> expected, long seed)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<MessageKey, Long> newest = Map.of();
        while (System.nanoTime() < deadline) {
            newest = newest(recorder);
            if (newest.equals(expected)) {
                return;
            }
            Thread.sleep(10);
        }
        assertThat(newest).as("seed %d: newest state per key", seed).isEqualTo(expected);
    }

    private static void awaitSize(Recorder recorder, int size, long seed) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (recorder.received.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(recorder.received).as("seed %d", seed).hasSize(size);
    }

    private static Map<MessageKey, Long> newest(Recorder recorder) {
        Map<MessageKey, Long> newest = new HashMap<>();
        for (BrokerMessage message : recorder.received) {
            newest.merge(message.key(), commitLsn(message), Math::max);
        }
        return newest;
    }

    private static void assertIncreasingPerKey(Recorder recorder, long seed) {
        Map<MessageKey, Long> previous = new HashMap<>();
        for (BrokerMessage message : recorder.received) {
            Long before = previous.put(message.key(), commitLsn(message));
            assertThat(before == null || before < commitLsn(message))
                    .as("seed %d: %s went from %s to %d", seed, message.key(), before, commitLsn(message))
                    .isTrue();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
