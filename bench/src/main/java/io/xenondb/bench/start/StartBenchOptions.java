package io.xenondb.bench.start;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.file.Path;

/**
 * Options of {@link EndpointStartBench}.
 *
 * @param sizeMb the database size ({@code pg_database_size}) to load, in MiB
 * @param repeat measured starts of each kind (cold, warm, baseline, CLI JVM)
 * @param workDir where the run's repository, vanilla cluster and logs go (the PostgreSQL OS user must reach it)
 * @param appendTo a Markdown file to append the results to, or null
 * @param checkpointDistanceMb the tenant's {@code checkpoint_distance} (WAL after which the storage node makes a new
 *     image) in MiB, or 0 for the storage node's default
 */
public record StartBenchOptions(int sizeMb, int repeat, Path workDir, Path appendTo, int checkpointDistanceMb) {
    static final String USAGE = "usage: run-start [--size-mb <n>=100] [--repeat <n>=3]"
            + " [--checkpoint-distance-mb <n>=the storage node's default]"
            + " [--workdir <dir>=bench/target/start-bench] [--append-to <markdown file>]";

    public StartBenchOptions {
        if (sizeMb < 9) { // an empty database is already ~7.5 MiB
            throw invalid("--size-mb: " + sizeMb + " (expected: at least 9)");
        }
        if (repeat < 1) {
            throw invalid("--repeat: " + repeat + " (expected: at least 1)");
        }
        if (checkpointDistanceMb < 0) {
            throw invalid("--checkpoint-distance-mb: " + checkpointDistanceMb + " (expected: 1 or more)");
        }
        if (workDir == null) {
            throw invalid("--workdir: none (expected: a directory)");
        }
    }

    /** Flags as {@code --name value} or {@code --name=value}; bad ones are INVALID_ARGUMENT naming the flag. */
    public static StartBenchOptions parse(String... args) {
        int size = 100;
        int repeat = 3;
        Path workDir = Path.of("bench/target/start-bench");
        Path appendTo = null;
        int checkpointDistance = 0;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && name.startsWith("--")) {
                value = args[++i];
            } else {
                throw invalid(name.startsWith("--") ? name + ": no value (" + USAGE + ")" : "unknown argument " + name);
            }
            switch (name) {
                case "--size-mb" -> size = number(name, value);
                case "--repeat" -> repeat = number(name, value);
                case "--workdir" -> workDir = Path.of(value);
                case "--append-to" -> appendTo = Path.of(value);
                case "--checkpoint-distance-mb" -> {
                    checkpointDistance = number(name, value);
                    if (checkpointDistance < 1) {
                        throw invalid(name + ": " + checkpointDistance + " (expected: 1 or more)");
                    }
                }
                default -> throw invalid("unknown flag " + name + " (" + USAGE + ")");
            }
        }
        return new StartBenchOptions(size, repeat, workDir, appendTo, checkpointDistance);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(name + ": '" + value + "' (expected: a whole number)");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, "bench " + message);
    }
}
