package io.xenondb.walnode.consensus;

import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

/**
 * The simulation's only sources of time and chance: one seeded {@link Random} and an event queue run in
 * (time, sequence) order, so that a seed replays exactly. It also counts what happened (for coverage checks)
 * and folds every event into a digest (for replay checks).
 */
final class SimClock {
    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            return time != other.time ? Long.compare(time, other.time) : Long.compare(seq, other.seq);
        }
    }

    private final Random random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private long now;
    private long seq;
    private long digest = 17;

    SimClock(long seed) {
        this.random = new Random(seed);
    }

    long now() {
        return now;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    Random random() {
        return random;
    }

    /** Runs {@code action} {@code delay} time units from now (0: after what is already due now). */
    void after(long delay, Runnable action) {
        queue.add(new Event(now + delay, seq++, action));
    }

    /** Runs the next event; false if none is left. */
    boolean runNext() {
        Event event = queue.poll();
        if (event == null) {
            return false;
        }
        now = event.time();
        event.action().run();
        return true;
    }

    void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    Map<String, Integer> counts() {
        return counts;
    }

    void trace(long kind, long a, long b) {
        digest = digest * 1_000_003 + kind * 31 + a * 7 + b + now;
    }

    long digest() {
        return digest;
    }
}
