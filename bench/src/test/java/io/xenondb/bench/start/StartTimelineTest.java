package io.xenondb.bench.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartTimelineTest {
    private static final String OLD_CTL = "2026-11-22T09:00:00.000Z INFO  [main] x.ComputeCtl - compute_ctl serving"
            + " HTTP on 127.0.0.1:1 for /p\n2026-11-22T09:00:00.100Z INFO  [main] x.ComputeNode - compute state Empty"
            + " -> Init\n";
    private static final String CTL = """
            2026-11-22T09:28:26.705Z INFO  [main] io.xenondb.compute.ctl.ComputeCtl - compute_ctl serving HTTP on 127.0.0.1:29112 for /p
            2026-11-22T09:28:26.709Z INFO  [main] io.xenondb.compute.ctl.ComputeNode - compute state Empty -> Init
            WARNING: A terminally deprecated method in sun.misc.Unsafe has been called
            2026-11-22T09:28:27.996Z INFO  [walproposer-t] i.x.compute.walproposer.ProposerLoop - t/t: proposer ended: SYNCED: start lsn 0/14DAA80
            2026-11-22T09:28:30.515Z INFO  [compute-start] io.xenondb.compute.ctl.ComputeNode - compute state Init -> Running
            """;
    private static final String PG = """
            2026-11-22 09:28:29.083 UTC [25677] LOG:  starting PostgreSQL 17.11 on x86_64-pc-linux-gnu
            2026-11-22 09:28:29.097 UTC [25680] LOG:  database system was interrupted while in recovery at log time 2026-11-22 09:28:19 UTC
            2026-11-22 09:28:29.097 UTC [25680] LOG:  creating missing WAL directory "pg_wal/summaries"
            2026-11-22 09:28:30.359 UTC [25680] LOG:  starting backup recovery with redo LSN 0/14DAA08
            2026-11-22 09:28:30.396 UTC [25677] LOG:  database system is ready to accept connections
            """;

    @Test
    void phasesComeFromTheLinesWrittenDuringThisStartOnly(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("compute_ctl.log"), OLD_CTL);
        Files.writeString(dir.resolve("pgdata.log"), "2026-11-22 09:00:01.000 UTC [1] LOG:  starting PostgreSQL 17\n");
        StartTimeline.Marks marks = StartTimeline.Marks.before(dir);
        Files.writeString(dir.resolve("compute_ctl.log"), CTL, StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("pgdata.log"), PG, StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("compute_ctl.pid"), "4242");
        Files.setLastModifiedTime(
                dir.resolve("compute_ctl.pid"), FileTime.from(Instant.parse("2026-11-22T09:28:25.900Z")));

        StartTimeline t = StartTimeline.read(
                marks,
                Instant.parse("2026-11-22T09:28:25.000Z"),
                Instant.parse("2026-11-22T09:28:30.800Z"),
                Instant.parse("2026-11-22T09:28:30.830Z"));

        assertThat(t.phases())
                .containsExactly(
                        entry(StartTimeline.CLI, 900),
                        entry(StartTimeline.CTL_JVM, 805),
                        entry(StartTimeline.SYNC, 1287),
                        entry(StartTimeline.BASEBACKUP, 1087),
                        entry(StartTimeline.POSTGRES, 1313),
                        entry(StartTimeline.FSYNC, 1262),
                        entry(StartTimeline.PROPOSER, 119),
                        entry(StartTimeline.CLI_EXIT, 285),
                        entry(StartTimeline.QUERY, 30));
        assertThat(t.describe()).startsWith("CLI JVM up").contains("; of which: start-up fsync");
    }

    @Test
    void missingOrGarbledLinesLeaveTheirPhasesOut(@TempDir Path dir) throws IOException {
        StartTimeline.Marks marks = StartTimeline.Marks.before(dir); // no logs yet
        Files.writeString(dir.resolve("compute_ctl.pid"), "4242"); // left by an earlier start
        Files.setLastModifiedTime(
                dir.resolve("compute_ctl.pid"), FileTime.from(Instant.parse("2026-11-22T09:00:00.000Z")));
        Files.writeString(
                dir.resolve("compute_ctl.log"),
                "garbage compute_ctl serving HTTP\n2026-11-22T09:28:26.709Z INFO compute state Empty -> Init\n");
        StartTimeline t = StartTimeline.read(
                marks,
                Instant.parse("2026-11-22T09:28:25.000Z"),
                Instant.parse("2026-11-22T09:28:30.000Z"),
                Instant.parse("2026-11-22T09:28:30.100Z"));
        assertThat(t.phases()).containsOnlyKeys(StartTimeline.QUERY);
    }

    private static java.util.Map.Entry<String, Duration> entry(String name, long millis) {
        return java.util.Map.entry(name, Duration.ofMillis(millis));
    }
}
