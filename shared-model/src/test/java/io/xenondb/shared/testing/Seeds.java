package io.xenondb.shared.testing;

import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * Seeded randomized cases: every run replays the fixed seeds and adds one new seed. A failing case names its
 * seed and case number, and {@link #run} with that seed replays it exactly.
 */
public final class Seeds {
    private static final long[] FIXED = {1L, 42L, 0x5EED_CAFEL, -7L};

    /** Cases per seed: thousands in total, still milliseconds. */
    public static final int CASES = 2_000;

    private Seeds() {}

    /** Source for {@code @MethodSource("io.xenondb.shared.testing.Seeds#seeds")}. */
    public static LongStream seeds() {
        return LongStream.concat(LongStream.of(FIXED), LongStream.of(System.nanoTime()));
    }

    /** Runs {@code body} {@link #CASES} times with a Random seeded by {@code seed}. */
    public static void run(long seed, Consumer<Random> body) {
        Random random = new Random(seed);
        for (int i = 0; i < CASES; i++) {
            try {
                body.accept(random);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("failed with seed " + seed + " at case " + i + ": " + e.getMessage(), e);
            }
        }
    }

    /** A long biased towards edge values (0, 1, -1, MIN, MAX, 32-bit boundaries) a quarter of the time. */
    public static long edgyLong(Random random) {
        long[] edges = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL, 0x1_0000_0000L, 0xFFFF_FFFF_0000_0000L};
        return random.nextInt(4) == 0 ? edges[random.nextInt(edges.length)] : random.nextLong();
    }
}
