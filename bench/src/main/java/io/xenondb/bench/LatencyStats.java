package io.xenondb.bench;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Arrays;

/**
 * Summary of a set of latencies, in nanoseconds. Percentiles are nearest-rank: the smallest sample that at
 * least {@code p}% of the samples do not exceed.
 */
public record LatencyStats(int count, double meanNanos, long p50Nanos, long p99Nanos, long maxNanos) {
    public LatencyStats {
        if (count <= 0) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "count: " + count + " (expected: at least one sample)");
        }
    }

    /** The summary of {@code samples} (not modified). */
    public static LatencyStats of(long[] samples) {
        if (samples == null || samples.length == 0) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "samples: none (expected: at least one latency)");
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long sample : sorted) {
            sum += sample;
        }
        return new LatencyStats(
                sorted.length,
                sum / sorted.length,
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of an ascending array: the value at rank ceil(p/100 * n). */
    static long percentile(long[] ascending, double p) {
        if (ascending.length == 0) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "samples: none (expected: at least one)");
        }
        if (!(p > 0 && p <= 100)) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "percentile: " + p + " (expected: in (0, 100])");
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.max(rank, 1) - 1];
    }

    public double p50Millis() {
        return p50Nanos / 1e6;
    }

    public double p99Millis() {
        return p99Nanos / 1e6;
    }

    public double meanMillis() {
        return meanNanos / 1e6;
    }

    @Override
    public String toString() {
        return String.format(
                "n=%d p50=%.3f ms p99=%.3f ms mean=%.3f ms max=%.3f ms",
                count, p50Millis(), p99Millis(), meanMillis(), maxNanos / 1e6);
    }
}
