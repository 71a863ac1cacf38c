package io.xenondb.bench;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.file.Path;

/**
 * Options of {@link WalServiceBench}.
 *
 * @param durationSeconds length of each measured pgbench run
 * @param warmupSeconds length of the pgbench warm-up (8 clients) before the measured runs
 * @param txns measured single-client commits
 * @param warmupTxns single-client commits before those, not measured
 * @param scale pgbench scale factor
 * @param pgbench the pgbench binary
 * @param workDir where data directories and logs go (the PostgreSQL OS user must be able to reach it)
 */
public record BenchOptions(
        int durationSeconds, int warmupSeconds, int txns, int warmupTxns, int scale, Path pgbench, Path workDir) {
    static final String USAGE = "usage: WalServiceBench [--duration <s>=15] [--warmup <s>=5] [--txns <n>=2000]"
            + " [--warmup-txns <n>=500] [--scale <n>=1] [--pgbench <path>=/usr/bin/pgbench]"
            + " [--workdir <dir>=bench/target/bench-run]";

    public BenchOptions {
        atLeast("--duration", durationSeconds, 1);
        atLeast("--warmup", warmupSeconds, 0);
        atLeast("--txns", txns, 1);
        atLeast("--warmup-txns", warmupTxns, 0);
        atLeast("--scale", scale, 1);
    }

    public static BenchOptions defaults() {
        return new BenchOptions(15, 5, 2000, 500, 1, Path.of("/usr/bin/pgbench"), Path.of("bench/target/bench-run"));
    }

    /** Flags as {@code --name value} or {@code --name=value}; an unknown flag or a bad value is INVALID_ARGUMENT. */
    public static BenchOptions parse(String... args) {
        BenchOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw invalid(arg + ": no value (" + USAGE + ")");
            }
            o = switch (name) {
                case "--duration" ->
                    new BenchOptions(
                            number(name, value), o.warmupSeconds, o.txns, o.warmupTxns, o.scale, o.pgbench, o.workDir);
                case "--warmup" ->
                    new BenchOptions(
                            o.durationSeconds,
                            number(name, value),
                            o.txns,
                            o.warmupTxns,
                            o.scale,
                            o.pgbench,
                            o.workDir);
                case "--txns" ->
                    new BenchOptions(
                            o.durationSeconds,
                            o.warmupSeconds,
                            number(name, value),
                            o.warmupTxns,
                            o.scale,
                            o.pgbench,
                            o.workDir);
                case "--warmup-txns" ->
                    new BenchOptions(
                            o.durationSeconds,
                            o.warmupSeconds,
                            o.txns,
                            number(name, value),
                            o.scale,
                            o.pgbench,
                            o.workDir);
                case "--scale" ->
                    new BenchOptions(
                            o.durationSeconds,
                            o.warmupSeconds,
                            o.txns,
                            o.warmupTxns,
                            number(name, value),
                            o.pgbench,
                            o.workDir);
                case "--pgbench" ->
                    new BenchOptions(
                            o.durationSeconds,
                            o.warmupSeconds,
                            o.txns,
                            o.warmupTxns,
                            o.scale,
                            Path.of(value),
                            o.workDir);
                case "--workdir" ->
                    new BenchOptions(
                            o.durationSeconds,
                            o.warmupSeconds,
                            o.txns,
                            o.warmupTxns,
                            o.scale,
                            o.pgbench,
                            Path.of(value));
                default -> throw invalid("unknown flag " + name + " (" + USAGE + ")");
            };
        }
        return o;
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
