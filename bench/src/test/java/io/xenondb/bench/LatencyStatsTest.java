package io.xenondb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void nearestRankPercentilesOfOneToHundred() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i; // descending: of() must sort
        }
        LatencyStats stats = LatencyStats.of(samples);
        assertThat(stats.p50Nanos()).isEqualTo(50);
        assertThat(stats.p99Nanos()).isEqualTo(99);
        assertThat(stats.maxNanos()).isEqualTo(100);
        assertThat(stats.meanNanos()).isEqualTo(50.5);
        assertThat(samples[0]).as("input left unsorted").isEqualTo(100);
    }

    @Test
    void smallSetsRoundTheRankUp() {
        assertThat(LatencyStats.percentile(new long[] {7}, 50)).isEqualTo(7);
        assertThat(LatencyStats.percentile(new long[] {1, 2, 3}, 50)).isEqualTo(2);
        assertThat(LatencyStats.percentile(new long[] {1, 2, 3, 4}, 50)).isEqualTo(2);
        assertThat(LatencyStats.percentile(new long[] {1, 2, 3, 4}, 99)).isEqualTo(4);
        assertThat(LatencyStats.percentile(new long[] {1, 2, 3, 4}, 100)).isEqualTo(4);
    }

    @Test
    void p99OfRandomSamplesIsNotBelowNinetyNinePercentOfThem() {
        Random random = new Random(42);
        long[] samples = random.longs(1234, 0, 1_000_000).toArray();
        LatencyStats stats = LatencyStats.of(samples);
        long atOrBelow = java.util.Arrays.stream(samples)
                .filter(s -> s <= stats.p99Nanos())
                .count();
        long below = java.util.Arrays.stream(samples)
                .filter(s -> s < stats.p99Nanos())
                .count();
        assertThat(atOrBelow).isGreaterThanOrEqualTo((long) Math.ceil(0.99 * samples.length));
        assertThat(below).isLessThan((long) Math.ceil(0.99 * samples.length));
    }

    @Test
    void emptyAndOutOfRangeAreRefused() {
        assertThatThrownBy(() -> LatencyStats.of(new long[0])).hasMessageContaining("expected: at least one");
        assertThatThrownBy(() -> LatencyStats.percentile(new long[] {1}, 0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> LatencyStats.percentile(new long[] {1}, 101)).hasMessageContaining("(0, 100]");
    }
}
