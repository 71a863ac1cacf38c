package io.xenondb.bench.start;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Arrays;

/**
 * Median, minimum and maximum of a few wall times, in nanoseconds. With an even count the median is the mean of
 * the two middle samples: a benchmark of three to five starts has no use for percentiles.
 */
public record Spread(int count, double medianNanos, long minNanos, long maxNanos) {
    public Spread {
        if (count <= 0) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "count: " + count + " (expected: at least 1)");
        }
        if (minNanos > maxNanos || medianNanos < minNanos || medianNanos > maxNanos) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "spread: min " + minNanos + ", median " + medianNanos + ", max " + maxNanos
                            + " (expected: min <= median <= max)");
        }
    }

    /** The spread of {@code samples} (not modified). */
    public static Spread of(long... samples) {
        if (samples == null || samples.length == 0) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "samples: none (expected: at least one time)");
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + (double) sorted[mid]) / 2;
        return new Spread(sorted.length, median, sorted[0], sorted[sorted.length - 1]);
    }

    public double medianMillis() {
        return medianNanos / 1e6;
    }

    public double minMillis() {
        return minNanos / 1e6;
    }

    public double maxMillis() {
        return maxNanos / 1e6;
    }

    @Override
    public String toString() {
        return String.format(
                "median %.1f ms (min %.1f, max %.1f, n=%d)", medianMillis(), minMillis(), maxMillis(), count);
    }
}
