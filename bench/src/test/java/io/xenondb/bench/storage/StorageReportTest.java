package io.xenondb.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.bench.LatencyStats;
import org.junit.jupiter.api.Test;

class StorageReportTest {
    private static LatencyStats millis(long... values) {
        long[] nanos = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            nanos[i] = values[i] * 1_000_000;
        }
        return LatencyStats.of(nanos);
    }

    @Test
    void largeBranchesAreJudgedAgainstTheFirstSize() {
        StorageReport report = new StorageReport("bench/run-storage --quick");
        report.branches("db 10 MiB", millis(10, 12, 30), millis(50));
        report.branches("db 1024 MiB", millis(30, 31, 32), millis(50));
        report.branches("db 2048 MiB", millis(19, 20, 21), millis(50));
        String md = report.render();
        assertThat(md).startsWith("Command: `bench/run-storage --quick`");
        assertThat(md).contains("| branch creation at an LSN, db 10 MiB, ms | 12.0 (max 30.0, n=3) | - |  |  |");
        assertThat(md)
                .contains("| branch creation at an LSN, db 1024 MiB, ms | 31.0 (max 32.0, n=3) | - | 2.58× the"
                        + " small one | ≤ 2× NOT met |");
        assertThat(md).contains("db 2048 MiB, ms | 20.0 (max 21.0, n=3) | - | 1.67× the small one | ≤ 2× met |");
    }

    @Test
    void computeStartsAreRatiosOfMedians() {
        StorageReport report = new StorageReport("x");
        report.computeStarts("db 100 MiB", millis(1000, 1200, 5000), millis(900), millis(40, 50, 60));
        assertThat(report.render())
                .contains("static at an LSN, db 100 MiB, ms | 1200.0 (max 5000.0, n=3) | 50.0 (max 60.0, n=3)"
                        + " (pg_ctl start) | 24.00× |")
                .contains("primary, db 100 MiB, ms | 900.0 (max 900.0, n=1) | 50.0 (max 60.0, n=3) (pg_ctl start)"
                        + " | 18.00× |");
    }
}
