package io.xenondb.controller.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

@Tag("controller")
class ReconcileQueueTest {
    /** An action whose runs end only when the test says so. */
    private static final class Gated {
        final List<String> started = new CopyOnWriteArrayList<>();
        final Map<String, List<Sinks.One<String>>> gates = new ConcurrentHashMap<>();

        Mono<String> run(String key) {
            Sinks.One<String> gate = Sinks.one();
            gates.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(gate);
            started.add(key);
            return gate.asMono();
        }

        void end(String key, int run, String value) {
            gates.get(key).get(run).tryEmitValue(value);
        }
    }

    @Test
    void aShardNeverRunsTwiceAtOnceAndWaitersShareTheNextRun() {
        Gated action = new Gated();
        List<long[]> reports = new CopyOnWriteArrayList<>();
        ReconcileQueue<String> queue = new ReconcileQueue<>(4, action::run, (a, q) -> reports.add(new long[] {a, q}));

        List<String> answers = new CopyOnWriteArrayList<>();
        queue.submit("a").subscribe(answers::add);
        queue.submit("a").subscribe(answers::add);
        queue.submit("a").subscribe(answers::add);
        assertThat(action.started).containsExactly("a");
        assertThat(queue.active()).isEqualTo(1);
        assertThat(queue.queued()).isEqualTo(1); // the 2nd and 3rd share one next run

        action.end("a", 0, "first");
        assertThat(answers).containsExactly("first");
        assertThat(action.started).containsExactly("a", "a");
        assertThat(queue.queued()).isZero();

        action.end("a", 1, "second");
        assertThat(answers).containsExactly("first", "second", "second");
        assertThat(queue.active()).isZero();
        assertThat(reports.getLast()).containsExactly(0, 0);
    }

    @Test
    void concurrencyIsBoundedAndWaitingTasksStartInOrder() {
        Gated action = new Gated();
        ReconcileQueue<String> queue = new ReconcileQueue<>(2, action::run, (a, q) -> {});
        List<String> answers = new CopyOnWriteArrayList<>();
        for (String key : List.of("a", "b", "c", "d")) {
            queue.submit(key).subscribe(answers::add);
        }
        assertThat(action.started).containsExactly("a", "b");
        assertThat(queue.queued()).isEqualTo(2);

        action.end("b", 0, "B");
        assertThat(action.started).containsExactly("a", "b", "c");
        assertThat(queue.active()).isEqualTo(2);
        assertThat(queue.queued()).isEqualTo(1);

        action.end("a", 0, "A");
        action.end("c", 0, "C");
        action.end("d", 0, "D");
        assertThat(answers).containsExactly("B", "A", "C", "D");
        assertThat(queue.active()).isZero();
        assertThat(queue.queued()).isZero();
    }

    @Test
    void failuresAndEmptyAnswersReachTheCallerAndFreeTheSlot() {
        AtomicInteger runs = new AtomicInteger();
        ReconcileQueue<String> queue = new ReconcileQueue<>(
                1,
                key -> {
                    runs.incrementAndGet();
                    return key.equals("boom") ? Mono.error(new IllegalStateException("boom")) : Mono.empty();
                },
                (a, q) -> {});
        assertThat(queue.submit("boom")
                        .onErrorResume(e -> Mono.just("error: " + e.getMessage()))
                        .block())
                .isEqualTo("error: boom");
        assertThat(queue.submit("quiet").blockOptional()).isEmpty();
        assertThat(runs).hasValue(2);
        assertThat(queue.active()).isZero();
    }

    @Test
    void randomLoadNeverOverlapsOneShardNorExceedsTheBound() {
        Random random = new Random(20240605L);
        int bound = 3;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        ReconcileQueue<Integer> queue = new ReconcileQueue<>(
                bound,
                key -> Mono.defer(() -> {
                    int now = running.incrementAndGet();
                    maxRunning.accumulateAndGet(now, Math::max);
                    if (perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                        overlaps.add(key);
                    }
                    return Mono.delay(Duration.ofMillis(1 + random.nextInt(3)))
                            .map(x -> 1)
                            .doOnTerminate(
                                    () -> { // before the answer reaches the queue, which starts the next
                                        perKey.get(key).decrementAndGet();
                                        running.decrementAndGet();
                                    });
                }),
                (a, q) -> {});
        List<Mono<Integer>> submissions = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String key = "shard-" + random.nextInt(8);
            submissions.add(Mono.defer(() -> queue.submit(key)).subscribeOn(Schedulers.parallel()));
        }
        List<Integer> results =
                reactor.core.publisher.Flux.merge(submissions).collectList().block(Duration.ofSeconds(30));
        assertThat(results).hasSize(300);
        assertThat(overlaps).isEmpty();
        assertThat(maxRunning.get()).isBetween(1, bound);
        assertThat(queue.active()).isZero();
        assertThat(queue.queued()).isZero();
    }
}
