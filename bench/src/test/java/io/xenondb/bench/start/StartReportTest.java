package io.xenondb.bench.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartReportTest {
    private static Spread millis(long... values) {
        long[] nanos = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            nanos[i] = values[i] * 1_000_000;
        }
        return Spread.of(nanos);
    }

    private static StartTimeline phases(long jvmsMillis, long queryMillis) {
        Map<String, Duration> p = new LinkedHashMap<>();
        p.put(StartTimeline.CTL_JVM, Duration.ofMillis(jvmsMillis));
        p.put(StartTimeline.QUERY, Duration.ofMillis(queryMillis));
        return new StartTimeline(p);
    }

    @Test
    void startsAreComparedWithTheBaselineByTheirMedians() {
        StartReport report = new StartReport("bench/run-start --repeat 3");
        report.cliJvm(millis(900, 1000, 1100));
        report.cold(millis(6000, 4000, 5000), millis(4900, 3900, 5900));
        report.warm(millis(2000, 3000, 2500), millis(2400, 1900, 2900));
        report.baseline(millis(100, 90, 200));
        report.note("database: %.1f MiB", 100.4);
        String md = report.render();
        assertThat(md).startsWith("Command: `bench/run-start --repeat 3`");
        assertThat(md)
                .contains("| cold: `endpoint start` of a new endpoint → first `SELECT 1` | 5000.0 | 4000.0 | 6000.0 | 3"
                        + " | 50.0× |");
        assertThat(md).contains("| 2500.0 | 2000.0 | 3000.0 | 3 | 25.0× |");
        assertThat(md).contains("|   of which: the `xenon endpoint start` command | 4900.0 | 3900.0 | 5900.0 | 3 |  |");
        assertThat(md)
                .contains("| baseline: plain PostgreSQL 17 `pg_ctl start` → first `SELECT 1` | 100.0 | 90.0 |"
                        + " 200.0 | 3 |  |");
        assertThat(md).contains("- cold / baseline: 50.0×\n- warm / baseline: 25.0×\n- warm / cold: 0.5×\n");
        assertThat(md).contains("- database: 100.4 MiB");
        assertThat(md).doesNotContain("Where the time goes");
    }

    @Test
    void withoutABaselineTheRatiosAreDashes() {
        StartReport report = new StartReport("bench/run-start");
        report.cold(millis(5000), millis(4900));
        assertThat(report.render())
                .contains("| 5000.0 | 5000.0 | 5000.0 | 1 | - |")
                .contains("- cold / baseline: -");
    }

    @Test
    void phasesShowTheMedianOfTheStartsThatLoggedThem() {
        StartReport report = new StartReport("bench/run-start");
        Map<String, Duration> onlyJvms = new LinkedHashMap<>();
        onlyJvms.put(StartTimeline.CTL_JVM, Duration.ofMillis(5000));
        report.phases(
                List.of(phases(3000, 10), phases(1000, 30), new StartTimeline(onlyJvms)),
                List.of(phases(2000, 12), phases(4000, 14)));
        String md = report.render();
        assertThat(md).contains("| " + StartTimeline.CTL_JVM + " | 3000 | 3000 |");
        assertThat(md).contains("| " + StartTimeline.QUERY + " | 20 | 13 |");
        assertThat(StartReport.medianPhase(List.of(), StartTimeline.SYNC)).isEqualTo("-");
    }
}
