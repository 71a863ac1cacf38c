package io.xenondb.bench;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Xenon service as a JVM process of its own, from this JVM's class path, with normal (tiered C2) JIT: it is
 * part of the system under test. {@code ServiceProcess} (service-support) fixes C1-only JIT for quick test
 * start-ups, which would make the benchmark measure a slower build of the services than they would run. Output
 * goes to a log file; stopped only by its own handle.
 */
public final class BenchJvm implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    /** Not started yet; {@code jvmOptions} come after the defaults (serial GC, native access). */
    public BenchJvm(String name, List<String> jvmOptions, String mainClass, List<String> args, Path log) {
        this.name = name;
        this.log = log;
        List<String> c = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED"));
        c.addAll(jvmOptions);
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        c.addAll(args);
        this.command = List.copyOf(c);
    }

    public synchronized void start() {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, name + ": cannot start: " + e.getMessage(), e);
        }
    }

    /** Waits until the process accepts TCP connections on 127.0.0.1:{@code port}; fails early if it exits. */
    public void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p == null || !p.isAlive()) {
                throw new XenonException(ErrorCode.UNAVAILABLE, name + " exited before serving; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new XenonException(
                            ErrorCode.UNAVAILABLE,
                            name + " not serving on port " + port + " within " + timeout + "; see " + log);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new XenonException(ErrorCode.UNAVAILABLE, name + ": interrupted while starting");
                }
            }
        }
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGTERM, then SIGKILL if it has not exited within 20 s. */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }
}
