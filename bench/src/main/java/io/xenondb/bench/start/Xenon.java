package io.xenondb.bench.start;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@code ./xenon} launcher at the repository root, run as a process with its own {@code XENON_REPO_DIR},
 * as a user runs it. Each command's output goes to numbered files in a log directory (never through pipes, which
 * a chatty child could fill) and is read back once it has exited.
 */
final class Xenon {
    /** What a command printed, and how long it ran (launch to exit). */
    record Result(String stdout, String stderr, long nanos) {}

    private final Path launcher;
    private final Path repoDir;
    private final Path logDir;
    private final AtomicInteger sequence = new AtomicInteger();

    Xenon(Path root, Path repoDir, Path logDir) {
        this.launcher = root.resolve("xenon");
        this.repoDir = repoDir;
        this.logDir = logDir;
        if (!Files.isExecutable(launcher)) {
            throw new XenonException(
                    ErrorCode.NOT_FOUND,
                    "xenon launcher: " + launcher + " (expected: the executable at the repository root)");
        }
    }

    Path repoDir() {
        return repoDir;
    }

    /** Runs {@code ./xenon args...}; a non-zero exit or a timeout is UNAVAILABLE with the command's stderr. */
    Result run(Duration timeout, String... args) {
        int n = sequence.incrementAndGet();
        String tag = String.format("%03d-%s", n, String.join("-", args).replaceAll("[^A-Za-z0-9_.-]", "_"));
        if (tag.length() > 60) {
            tag = tag.substring(0, 60);
        }
        Path out = logDir.resolve(tag + ".out");
        Path err = logDir.resolve(tag + ".err");
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(launcher.getParent().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("XENON_REPO_DIR", repoDir.toString());
        Process process;
        long started = System.nanoTime();
        try {
            Files.createDirectories(logDir);
            process = builder.start();
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "cannot run " + command + ": " + e, e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "xenon " + String.join(" ", args) + ": still running after " + timeout.toSeconds() + " s; see "
                                + err);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted while running xenon " + args[0]);
        }
        long nanos = System.nanoTime() - started;
        Result result = new Result(read(out), read(err), nanos);
        if (process.exitValue() != 0) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "xenon " + String.join(" ", args) + ": exit " + process.exitValue() + ": "
                            + lastLines(result.stderr()));
        }
        return result;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLines(String text) {
        String[] lines = text.strip().split("\n");
        return String.join(" / ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }
}
