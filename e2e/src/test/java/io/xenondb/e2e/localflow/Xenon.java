package io.xenondb.e2e.localflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./xenon} at the repository root as a user would, with its own {@code XENON_REPO_DIR}. */
final class Xenon {
    /** What one command printed and how it exited. */
    record Run(int exit, String out, String err) {
        Run ok() {
            assertThat(exit)
                    .as("exit of a command that should work; stderr: %s", err)
                    .isZero();
            return this;
        }

        /** A failure: a non-zero exit and exactly one line on stderr. */
        String failure() {
            assertThat(exit)
                    .as("exit of a command that should fail; stdout: %s", out)
                    .isNotZero();
            List<String> lines =
                    err.lines().filter(l -> !l.startsWith("xenon: building")).toList();
            assertThat(lines).as("stderr of a failed command").hasSize(1);
            return lines.get(0);
        }
    }

    private final Path root;
    private final Path repo;
    private final Path logs;
    private int count;

    Xenon(Path root, Path repo, Path logs) {
        this.root = root;
        this.repo = repo;
        this.logs = logs;
    }

    Path repo() {
        return repo;
    }

    Run run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("xenon").toString());
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logs);
            int n = ++count;
            Path out = logs.resolve(n + ".out");
            Path err = logs.resolve(n + ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("XENON_REPO_DIR", repo.toString());
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("xenon " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            return new Run(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
