package io.xenondb.bench.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.XenonException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpreadTest {
    @Test
    void oddCountsTakeTheMiddleSampleWhateverTheOrder() {
        Spread s = Spread.of(30, 10, 20);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.medianNanos()).isEqualTo(20);
        assertThat(s.minNanos()).isEqualTo(10);
        assertThat(s.maxNanos()).isEqualTo(30);
    }

    @Test
    void evenCountsAverageTheTwoMiddleSamples() {
        assertThat(Spread.of(4_000_000, 1_000_000, 2_000_000, 100_000_000).medianMillis())
                .isEqualTo(3.0);
        assertThat(Spread.of(7).medianNanos()).isEqualTo(7);
    }

    @Test
    void theSamplesAreNotReordered() {
        long[] samples = {5, 1, 3};
        Spread.of(samples);
        assertThat(samples).containsExactly(5, 1, 3);
    }

    @Test
    void seededRandomSamplesAgreeWithASortedCopy() {
        Random random = new Random(6);
        for (int round = 0; round < 200; round++) {
            long[] samples =
                    random.longs(1 + random.nextInt(9), 0, 1_000_000_000L).toArray();
            long[] sorted = samples.clone();
            Arrays.sort(sorted);
            Spread s = Spread.of(samples);
            assertThat(s.minNanos()).isEqualTo(sorted[0]);
            assertThat(s.maxNanos()).isEqualTo(sorted[sorted.length - 1]);
            long below = Arrays.stream(sorted).filter(v -> v < s.medianNanos()).count();
            long above = Arrays.stream(sorted).filter(v -> v > s.medianNanos()).count();
            assertThat(below).isEqualTo(above);
        }
    }

    @Test
    void noSamplesIsATypedError() {
        assertThatThrownBy(Spread::of).isInstanceOf(XenonException.class).hasMessageContaining("samples: none");
        assertThatThrownBy(() -> new Spread(2, 50, 10, 40))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("expected: min <= median <= max");
    }
}
