package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short-lived helper commands (id, getent, useradd, kill, postgres --version) and captures their output. */
public final class Commands {
    private static final int TAIL_LINES = 20;

    /** What a finished command printed (stdout and stderr interleaved) and how it exited. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** This result, or an exception naming the command, its exit code and the tail of its output. */
        public Result orThrow(String what) {
            if (!succeeded()) {
                throw new PostgresRuntimeException(what + ": " + String.join(" ", command) + " exited with code "
                        + exitCode + tailSection("output", output));
            }
            return this;
        }
    }

    private Commands() {}

    /** Runs {@code command} with the JVM's environment in "/" and waits at most {@code timeout}. */
    public static Result run(List<String> command, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(Path.of("/").toFile());
        return run(builder, timeout);
    }

    /** Starts {@code builder} with stderr merged into stdout, captures the output, waits at most {@code timeout}. */
    public static Result run(ProcessBuilder builder, Duration timeout) {
        builder.redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new PostgresRuntimeException(
                    "cannot run " + String.join(" ", builder.command()) + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        // Read on another thread so that a chatty command cannot fill the pipe and block while we wait for it.
        Thread reader = Thread.ofVirtual().start(() -> copy(process.getInputStream(), output));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new PostgresRuntimeException(String.join(" ", builder.command()) + " did not finish within "
                        + timeout.toMillis() + " ms and was killed");
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PostgresRuntimeException("interrupted while running " + String.join(" ", builder.command()), e);
        }
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        return new Result(List.copyOf(builder.command()), process.exitValue(), text);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // The process ended or was killed; what was read so far is all there is.
        }
    }

    /** The last lines of a text, for error messages. */
    public static String tail(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    /** The last lines written to {@code file} at or after byte {@code fromOffset}; "" if none or unreadable. */
    public static String tail(Path file, long fromOffset) {
        try {
            if (!Files.isRegularFile(file)) {
                return "";
            }
            long size = Files.size(file);
            // The tail is what matters: read at most the last 16 KiB written since the offset.
            long start = Math.max(Math.min(fromOffset, size), size - 16 * 1024);
            try (var channel = Files.newByteChannel(file)) {
                channel.position(start);
                byte[] bytes = new byte[(int) (size - start)];
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // keep reading
                }
                return tail(new String(bytes, 0, buffer.position(), StandardCharsets.UTF_8));
            }
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** "\n<what> tail:\n<text>" indented, or "" when the text is empty. */
    public static String tailSection(String what, String text) {
        String tail = tail(text);
        return tail.isEmpty()
                ? ""
                : "\n" + what + " (last lines):\n" + tail.indent(2).stripTrailing();
    }
}
