package io.xenondb.bench.start;

import io.xenondb.bench.storage.DataSet;
import io.xenondb.bench.storage.Sql;
import io.xenondb.compute.walproposer.ComputePostgresSettings;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.StopMode;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The endpoint start benchmark (issue 6): wall time from launching {@code ./xenon endpoint start <name>} until a
 * fresh JDBC connection has {@code SELECT 1} answered, for a database of {@code --size-mb}, cold (a new endpoint:
 * empty data directory and image cache, the whole base backup fetched) and warm (the same endpoint after it
 * suspended itself: its image cache makes the base backup incremental), against {@code pg_ctl start} of a plain
 * PostgreSQL 17 holding the same rows. It drives the real {@code ./xenon} as a user does, with its own
 * {@code XENON_REPO_DIR}. A program, not a test: {@code bench/run-start [--size-mb 100] [--repeat 3]}.
 */
public final class EndpointStartBench {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    /** The first {@code ./xenon} run may build the CLI. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);

    private static final Duration PG_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SUSPEND_WAIT = Duration.ofSeconds(120);
    private static final String SUSPEND_TIMEOUT = "5s";
    private static volatile EndpointStartBench running;

    private final StartBenchOptions options;
    private final StartReport report;
    private final Path runDir;
    private final Xenon xenon;
    private volatile boolean systemUp;
    private PostgresCluster vanilla;
    private long lastId;
    private final List<StartTimeline> coldTimelines = new ArrayList<>();
    private final List<StartTimeline> warmTimelines = new ArrayList<>();

    private EndpointStartBench(StartBenchOptions options, String command, Path root, Path runDir) {
        this.options = options;
        this.report = new StartReport(command);
        this.runDir = runDir;
        this.xenon = new Xenon(root, runDir.resolve("repo"), runDir.resolve("commands"));
    }

    public static void main(String[] args) {
        StartBenchOptions options;
        try {
            options = StartBenchOptions.parse(args);
        } catch (XenonException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path root = Path.of("").toAbsolutePath();
        Path runDir = options.workDir()
                .toAbsolutePath()
                .resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        EndpointStartBench bench;
        try {
            bench = new EndpointStartBench(
                    options, ("bench/run-start " + String.join(" ", args)).strip(), root, runDir);
        } catch (XenonException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        running = bench;
        Runtime.getRuntime().addShutdownHook(new Thread(EndpointStartBench::stopRunning, "bench-shutdown"));
        int exit = 0;
        try {
            bench.run();
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            e.printStackTrace();
            exit = 1;
        } finally {
            stopRunning();
        }
        String markdown = bench.report.render();
        System.out.println();
        System.out.println(markdown);
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve("results.md"), markdown);
            if (options.appendTo() != null) {
                Files.writeString(options.appendTo(), "\n" + markdown, StandardOpenOption.APPEND);
            }
        } catch (Exception e) {
            System.err.println("bench: cannot write the results: " + e);
            exit = 1;
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        String loadStart = loadAverage();
        Files.createDirectories(runDir);
        log("work directory " + runDir);

        log("./xenon --version (builds the CLI if its sources changed)");
        xenon.run(BUILD_TIMEOUT, "--version");
        long[] versions = new long[options.repeat()];
        for (int i = 0; i < versions.length; i++) {
            versions[i] = xenon.run(COMMAND_TIMEOUT, "--version").nanos();
        }
        report.cliJvm(Spread.of(versions));

        xenon.run(COMMAND_TIMEOUT, "init");
        systemUp = true;
        long t = System.nanoTime();
        xenon.run(COMMAND_TIMEOUT, "start");
        report.note("`xenon start` (broker, controller, storage node, 3 WAL nodes): %.1f s", seconds(t));
        if (options.checkpointDistanceMb() > 0) {
            xenon.run(
                    COMMAND_TIMEOUT,
                    "tenant",
                    "create",
                    "--set-default",
                    "-c",
                    "checkpoint_distance:" + options.checkpointDistanceMb() * 1048576L);
            report.note("tenant created with `-c checkpoint_distance:%d`", options.checkpointDistanceMb() * 1048576L);
        } else {
            xenon.run(COMMAND_TIMEOUT, "tenant", "create", "--set-default");
        }

        int mainPort = create("main");
        xenon.run(COMMAND_TIMEOUT, "endpoint", "start", "main");
        Sql main = sql(mainPort);
        log("loading " + options.sizeMb() + " MiB into endpoint main");
        t = System.nanoTime();
        DataSet.create(main);
        lastId = DataSet.growTo(main, 0, options.sizeMb() * 1024L * 1024);
        main.execute("checkpoint");
        long size = DataSet.databaseSize(main);
        report.note(
                "database: %.1f MiB (`pg_database_size`), %d rows of ~1 KiB in `%s`, loaded in %.1f s, then"
                        + " CHECKPOINT on the primary",
                size / 1048576.0, lastId, DataSet.TABLE, seconds(t));
        xenon.run(COMMAND_TIMEOUT, "endpoint", "stop", "main");

        cold();
        report.phases(coldTimelines, warmTimelines);
        warm();
        report.phases(coldTimelines, warmTimelines);
        baseline(size);
        report.note(
                "whole run: %.1f min; load average at the start %s, at the end %s",
                seconds(started) / 60, loadStart, loadAverage());
        log("logs and data under " + runDir);
    }

    /** Each time a new endpoint on main: an empty data directory and no image cache. */
    private void cold() throws SQLException {
        long[] totals = new long[options.repeat()];
        long[] commands = new long[options.repeat()];
        for (int i = 0; i < totals.length; i++) {
            String name = "cold-" + (i + 1);
            int port = create(name);
            Measured m = measuredStart(name, port);
            totals[i] = m.total;
            commands[i] = m.command;
            coldTimelines.add(m.timeline);
            log("cold start " + (i + 1) + ": " + ms(m.total) + " (the command " + ms(m.command) + "): "
                    + m.timeline.describe());
            if (i == 0) {
                noteSizes(name);
            }
            xenon.run(COMMAND_TIMEOUT, "endpoint", "stop", name, "--destroy");
        }
        report.cold(Spread.of(totals), Spread.of(commands));
    }

    /** One endpoint that suspends itself when idle; its first start (cold, fills the image cache) is not counted. */
    private void warm() throws SQLException {
        String name = "warm";
        int port = create(name, "--suspend-timeout", SUSPEND_TIMEOUT);
        Measured first = measuredStart(name, port);
        report.note(
                "first start of endpoint `warm` (cold; fills its image cache; not counted): %.1f ms",
                first.total / 1e6);
        awaitSuspended(name);
        long[] totals = new long[options.repeat()];
        long[] commands = new long[options.repeat()];
        for (int i = 0; i < totals.length; i++) {
            Measured m = measuredStart(name, port);
            totals[i] = m.total;
            commands[i] = m.command;
            warmTimelines.add(m.timeline);
            log("warm start " + (i + 1) + ": " + ms(m.total) + " (the command " + ms(m.command) + "): "
                    + m.timeline.describe());
            awaitSuspended(name);
        }
        noteSizes(name);
        report.warm(Spread.of(totals), Spread.of(commands));
    }

    private record Measured(long total, long command, StartTimeline timeline) {}

    /**
     * Launches {@code ./xenon endpoint start name}, then connects anew and runs {@code SELECT 1}: the measured
     * time. Then checks, untimed, that all rows are there.
     */
    private Measured measuredStart(String name, int port) throws SQLException {
        Path dir = xenon.repoDir().resolve("endpoints").resolve(name);
        StartTimeline.Marks marks = StartTimeline.Marks.before(dir);
        Instant launched = Instant.now();
        long t0 = System.nanoTime();
        Xenon.Result result = xenon.run(COMMAND_TIMEOUT, "endpoint", "start", name);
        long t1 = System.nanoTime();
        Sql sql = sql(port);
        sql.firstQuery();
        long t2 = System.nanoTime();
        Instant answered = Instant.now();
        long rows = sql.number("select max(id) from " + DataSet.TABLE);
        if (rows != lastId) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "endpoint " + name + ": last id " + rows + " (expected: " + lastId + ", as loaded)");
        }
        StartTimeline timeline = StartTimeline.read(marks, launched, launched.plusNanos(result.nanos()), answered);
        return new Measured(t2 - t0, t1 - t0, timeline);
    }

    /** What an endpoint's start wrote: its data directory (and WAL) and its image cache. */
    private void noteSizes(String name) {
        Path dir = xenon.repoDir().resolve("endpoints").resolve(name);
        report.note(
                "endpoint `%s` after a start: data directory %.0f MiB (%.0f MiB of it pg_wal), image cache %.0f MiB",
                name,
                mib(dir.resolve("pgdata")),
                mib(dir.resolve("pgdata").resolve("pg_wal")),
                mib(dir.resolve("image-cache")));
    }

    private static double mib(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                            .mapToLong(p -> p.toFile().length())
                            .sum()
                    / 1048576.0;
        } catch (IOException | UncheckedIOException e) {
            return -1; // PostgreSQL removed a file while we walked
        }
    }

    /** Polls {@code xenon endpoint list} until the endpoint's STATUS reads suspended. */
    private void awaitSuspended(String name) {
        long deadline = System.nanoTime() + SUSPEND_WAIT.toNanos();
        while (true) {
            String list = xenon.run(COMMAND_TIMEOUT, "endpoint", "list").stdout();
            for (String line : list.split("\n")) {
                String[] columns = line.strip().split("\\s+");
                if (columns.length > 1 && columns[0].equals(name) && columns[columns.length - 1].equals("suspended")) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "endpoint " + name + " did not suspend within " + SUSPEND_WAIT.toSeconds() + " s: " + list);
            }
            sleep(1000);
        }
    }

    /**
     * A plain PostgreSQL 17 with the compute's settings (minus the synchronous WAL proposer) and the same rows,
     * loaded with the same SQL; started after a clean stop until {@code SELECT 1} is answered.
     */
    private void baseline(long xenonSize) throws SQLException {
        log("baseline: a plain PostgreSQL 17 with the same rows");
        vanilla =
                PostgresCluster.initdb(PostgresBinaries.bundled(), runDir.resolve("vanilla"), InitdbOptions.defaults());
        Map<String, String> settings = new LinkedHashMap<>(ComputePostgresSettings.forCompute());
        settings.remove("synchronous_standby_names");
        vanilla.writeConfig(settings);
        int port = FreePorts.allocate();
        vanilla.start(port, PG_TIMEOUT);
        Sql sql = new Sql(vanilla.jdbcUrl("postgres"), vanilla.superuser());
        DataSet.create(sql);
        DataSet.fill(sql, 0, lastId);
        sql.execute("checkpoint");
        report.note(
                "baseline database: %.1f MiB (xenon's: %.1f MiB)",
                DataSet.databaseSize(sql) / 1048576.0, xenonSize / 1048576.0);
        long[] starts = new long[options.repeat()];
        for (int i = 0; i < starts.length; i++) {
            vanilla.stop(StopMode.FAST, PG_TIMEOUT);
            long t = System.nanoTime();
            vanilla.start(port, PG_TIMEOUT);
            sql.firstQuery();
            starts[i] = System.nanoTime() - t;
        }
        vanilla.stop(StopMode.FAST, PG_TIMEOUT);
        report.baseline(Spread.of(starts));
    }

    /** {@code xenon endpoint create name} on main with ports of its own; the PostgreSQL port. */
    private int create(String name, String... extra) {
        int pg = FreePorts.allocate();
        int http = FreePorts.allocate();
        List<String> args = new ArrayList<>(List.of(
                "endpoint", "create", name, "--pg-port", Integer.toString(pg), "--http-port", Integer.toString(http)));
        args.addAll(List.of(extra));
        xenon.run(COMMAND_TIMEOUT, args.toArray(String[]::new));
        return pg;
    }

    private static Sql sql(int port) {
        return new Sql("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "cloud_admin");
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }

    /** The 1-minute load average: how busy the shared machine was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /** Stops the local system ({@code xenon stop}, else immediate) and the baseline cluster; runs once. */
    private static void stopRunning() {
        EndpointStartBench bench = running;
        running = null;
        if (bench == null) {
            return;
        }
        if (bench.systemUp) {
            try {
                bench.xenon.run(COMMAND_TIMEOUT, "stop");
            } catch (XenonException e) {
                log("xenon stop failed (" + e.getMessage() + "); xenon stop --mode immediate");
                try {
                    bench.xenon.run(COMMAND_TIMEOUT, "stop", "--mode", "immediate");
                } catch (XenonException again) {
                    log("xenon stop --mode immediate failed too: " + again.getMessage());
                }
            }
        }
        if (bench.vanilla != null) {
            bench.vanilla.close();
        }
    }

    static void log(String message) {
        System.err.println("[start-bench] " + message);
    }
}
