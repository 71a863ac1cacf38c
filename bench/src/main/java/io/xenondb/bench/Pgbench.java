package io.xenondb.bench;

import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The system's {@code pgbench} (any version from 15 on talks to PostgreSQL 17), over TCP, simple protocol. */
final class Pgbench {
    private static final Pattern TPS = Pattern.compile("(?m)^tps = ([0-9.]+)");
    private static final Pattern LATENCY = Pattern.compile("(?m)^latency average = ([0-9.]+) ms");
    private static final Pattern TXNS = Pattern.compile("(?m)^number of transactions actually processed: (\\d+)");

    /** A measured run. */
    record Result(int clients, double tps, double latencyMillis, long transactions) {}

    private final Path binary;

    private Pgbench(Path binary) {
        this.binary = binary;
    }

    /** The pgbench at {@code binary}, or null if it is not there (the benchmark then skips its rows). */
    static Pgbench find(Path binary) {
        return Files.isExecutable(binary) ? new Pgbench(binary) : null;
    }

    void init(PostgresCluster pg, int scale) {
        run(pg, List.of("-i", "-q", "-s", Integer.toString(scale)), 300);
    }

    Result run(PostgresCluster pg, int clients, int threads, int seconds) {
        String out = run(
                pg,
                List.of(
                        "-c",
                        Integer.toString(clients),
                        "-j",
                        Integer.toString(threads),
                        "-T",
                        Integer.toString(seconds)),
                seconds + 120);
        return new Result(
                clients,
                Double.parseDouble(group(TPS, out)),
                Double.parseDouble(group(LATENCY, out)),
                Long.parseLong(group(TXNS, out)));
    }

    private String run(PostgresCluster pg, List<String> args, int timeoutSeconds) {
        List<String> command = new ArrayList<>(
                List.of(binary.toString(), "-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", pg.superuser()));
        command.addAll(args);
        command.add("postgres");
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output;
            try {
                output = process.getInputStream().readAllBytes();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new XenonException(
                            ErrorCode.UNAVAILABLE, "pgbench " + args + ": no end within " + timeoutSeconds + " s");
                }
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "pgbench " + args + " exited with " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "pgbench " + args + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "pgbench " + args + ": interrupted");
        }
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new XenonException(
                    ErrorCode.INTERNAL, "pgbench output: no match for '" + pattern + "' (expected in):\n" + text);
        }
        return m.group(1);
    }
}
