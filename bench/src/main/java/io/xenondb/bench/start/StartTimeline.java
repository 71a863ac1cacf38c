package io.xenondb.bench.start;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where one endpoint start spent its time, from the bench's own clock readings and the timestamps of the lines
 * compute_ctl ({@code compute_ctl.log}) and PostgreSQL ({@code pgdata.log}) wrote during that start. Both logs are
 * appended to across starts, so only what was added after {@link Marks#before} is read. The CLI spawned
 * compute_ctl when it wrote {@code compute_ctl.pid}. A phase whose log line is
 * missing is absent from {@link #phases()}.
 */
record StartTimeline(Map<String, Duration> phases) {
    static final String CLI = "CLI JVM up, asks the controller, spawns compute_ctl (→ compute_ctl.pid written)";
    static final String CTL_JVM = "compute_ctl JVM up (→ serves HTTP)";
    static final String SYNC = "WAL-node sync (Init → proposer SYNCED)";
    static final String BASEBACKUP = "base backup fetch + unpack, config (→ PostgreSQL starts)";
    static final String POSTGRES = "PostgreSQL start (→ ready to accept connections)";
    static final String FSYNC = "  of which: start-up fsync of the data directory";
    static final String PROPOSER = "WAL proposer up (ready → Running)";
    static final String CLI_EXIT = "CLI sees Running and exits";
    static final String QUERY = "new JDBC connection + `SELECT 1`";

    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS z");

    /** The sizes of an endpoint's two logs before a start. */
    record Marks(Path computeCtlLog, long computeCtlOffset, Path postgresLog, long postgresOffset) {
        static Marks before(Path endpointDir) {
            Path ctl = endpointDir.resolve("compute_ctl.log");
            Path pg = endpointDir.resolve("pgdata.log");
            return new Marks(ctl, size(ctl), pg, size(pg));
        }
    }

    /** The phases of the start launched at {@code launched}, whose command exited and whose query answered then. */
    static StartTimeline read(Marks marks, Instant launched, Instant cliExited, Instant answered) {
        Instant spawned = modified(marks.computeCtlLog().resolveSibling("compute_ctl.pid"), launched);
        String ctl = tail(marks.computeCtlLog(), marks.computeCtlOffset());
        String pg = tail(marks.postgresLog(), marks.postgresOffset());
        Instant serving = ctlTime(ctl, line -> line.contains("compute_ctl serving HTTP"));
        Instant init = ctlTime(ctl, line -> line.contains("-> Init"));
        Instant synced = ctlTime(ctl, line -> line.contains("proposer ended: SYNCED"));
        Instant running = ctlTime(ctl, line -> line.contains("-> Running"));
        Instant pgStart = pgTime(pg, line -> line.contains("LOG:  starting PostgreSQL"));
        Instant recoveryBegins = pgTime(pg, line -> line.contains("LOG:  database system was"));
        Instant recoveryWorks = pgTime(
                pg,
                line -> line.contains("starting backup recovery")
                        || line.contains("redo starts")
                        || line.contains("redo is not required")
                        || line.contains("consistent recovery state"));
        Instant ready = pgTime(pg, line -> line.contains("ready to accept"));

        Map<String, Duration> phases = new LinkedHashMap<>();
        put(phases, CLI, launched, spawned);
        put(phases, CTL_JVM, spawned, serving);
        // A static endpoint has no sync: its base backup starts right at Init.
        put(phases, SYNC, init, synced);
        put(phases, BASEBACKUP, synced != null ? synced : init, pgStart);
        put(phases, POSTGRES, pgStart, ready);
        put(phases, FSYNC, recoveryBegins, recoveryWorks);
        put(phases, PROPOSER, ready, running);
        put(phases, CLI_EXIT, running, cliExited);
        put(phases, QUERY, cliExited, answered);
        return new StartTimeline(phases);
    }

    /** One line: each phase in seconds. */
    String describe() {
        StringBuilder out = new StringBuilder();
        phases.forEach((name, d) -> out.append(out.isEmpty() ? "" : "; ")
                .append(name.strip())
                .append(String.format(" %.2f s", d.toNanos() / 1e9)));
        return out.toString();
    }

    private static void put(Map<String, Duration> phases, String name, Instant from, Instant to) {
        if (from != null && to != null) {
            phases.put(name, Duration.between(from, to));
        }
    }

    /** The first line's time, as compute_ctl writes it: {@code 2026-11-22T09:28:26.705Z LEVEL ...}. */
    static Instant ctlTime(String log, Predicate<String> which) {
        for (String line : log.split("\n")) {
            if (which.test(line)) {
                int space = line.indexOf(' ');
                try {
                    return OffsetDateTime.parse(space < 0 ? line : line.substring(0, space))
                            .toInstant();
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The first line's time, as PostgreSQL's default prefix writes it: {@code 2026-11-22 09:28:29.083 UTC [pid]}. */
    static Instant pgTime(String log, Predicate<String> which) {
        for (String line : log.split("\n")) {
            if (which.test(line)) {
                int bracket = line.indexOf(" [");
                try {
                    return ZonedDateTime.parse(bracket < 0 ? line : line.substring(0, bracket), PG_TIME)
                            .toInstant();
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** When the CLI wrote the file (right after spawning the process), if it did so after {@code since}. */
    private static Instant modified(Path file, Instant since) {
        try {
            Instant at = Files.getLastModifiedTime(file).toInstant();
            return at.isBefore(since) ? null : at;
        } catch (IOException e) {
            return null;
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String tail(Path file, long offset) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= offset) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 16L << 20)];
            in.seek(offset);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
