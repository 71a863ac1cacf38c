package io.xenondb.bench.storage;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.file.Path;

/**
 * Options of {@link StorageNodeBench}: database sizes are {@code pg_database_size} in MiB.
 *
 * @param smallMb size for the small branch-creation measurement
 * @param mediumMb size for the first compute-start measurement
 * @param largeMb size for the large branch and compute-start measurements (ingest grows medium to large)
 * @param repeat measured repetitions of each compute start (branch creations: 5 at least)
 * @param reads measured GetPage requests (and vanilla reads)
 * @param workDir where the cluster's files go (the PostgreSQL OS user must be able to reach it)
 * @param appendTo a Markdown file to append the results to, or null
 */
public record StorageBenchOptions(
        int smallMb, int mediumMb, int largeMb, int repeat, int reads, Path workDir, Path appendTo) {
    static final String USAGE = "usage: StorageNodeBench [--quick] [--small-mb <n>=10] [--medium-mb <n>=100]"
            + " [--large-mb <n>=1024] [--repeat <n>=3] [--reads <n>=2000]"
            + " [--workdir <dir>=bench/target/storage-bench] [--append-to <markdown file>]";

    public StorageBenchOptions {
        atLeast("--small-mb", smallMb, 9); // an empty database is already ~7.5 MiB
        atLeast("--medium-mb", mediumMb, smallMb);
        atLeast("--large-mb", largeMb, mediumMb);
        atLeast("--repeat", repeat, 1);
        atLeast("--reads", reads, 10);
    }

    public static StorageBenchOptions defaults() {
        return new StorageBenchOptions(10, 100, 1024, 3, 2000, Path.of("bench/target/storage-bench"), null);
    }

    /** {@code --quick}: 10 / 50 / 200 MiB, 2 repetitions, 500 reads (~3 minutes). */
    public static StorageBenchOptions quick() {
        return new StorageBenchOptions(10, 50, 200, 2, 500, Path.of("bench/target/storage-bench"), null);
    }

    /** Flags as {@code --name value} or {@code --name=value}, applied in order; bad ones are INVALID_ARGUMENT. */
    public static StorageBenchOptions parse(String... args) {
        int small = 10;
        int medium = 100;
        int large = 1024;
        int repeat = 3;
        int reads = 2000;
        Path workDir = defaults().workDir();
        Path appendTo = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--quick")) {
                StorageBenchOptions q = quick();
                small = q.smallMb;
                medium = q.mediumMb;
                large = q.largeMb;
                repeat = q.repeat;
                reads = q.reads;
                continue;
            }
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw invalid(name + ": no value (" + USAGE + ")");
            }
            switch (name) {
                case "--small-mb" -> small = number(name, value);
                case "--medium-mb" -> medium = number(name, value);
                case "--large-mb" -> large = number(name, value);
                case "--repeat" -> repeat = number(name, value);
                case "--reads" -> reads = number(name, value);
                case "--workdir" -> workDir = Path.of(value);
                case "--append-to" -> appendTo = Path.of(value);
                default -> throw invalid("unknown flag " + name + " (" + USAGE + ")");
            }
        }
        return new StorageBenchOptions(small, medium, large, repeat, reads, workDir, appendTo);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(name + ": '" + value + "' (expected: a whole number)");
        }
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw invalid(name + ": " + value + " (expected: at least " + min + ")");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, "bench " + message);
    }
}
