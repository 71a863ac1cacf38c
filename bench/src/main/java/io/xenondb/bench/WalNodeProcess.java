package io.xenondb.bench;

import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A WAL node ({@code io.xenondb.walnode.WalNodeApplication}) as a process of its own, from this JVM's class path,
 * with normal JIT: it is part of the system under test. Stopped by its process handle.
 */
final class WalNodeProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final long id;
    private final Path datadir;
    private final Path log;
    private final int grpcPort = FreePorts.allocate();
    private final int httpPort = FreePorts.allocate();
    private Process process;

    WalNodeProcess(long id, Path parent) {
        this.id = id;
        this.datadir = parent.resolve("wal-node-" + id);
        this.log = parent.resolve("wal-node-" + id + ".log");
    }

    WalNodeEndpoint endpoint() {
        return WalNodeEndpoint.of(id, "127.0.0.1", grpcPort);
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + httpPort + "/metrics";
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Starts the process; {@link #awaitListening()} waits for its gRPC port. */
    synchronized void start() {
        List<String> command = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.xenondb.walnode.WalNodeApplication",
                "--id",
                Long.toString(id),
                "--datadir",
                datadir.toString(),
                "--listen-grpc",
                "127.0.0.1:" + grpcPort,
                "--listen-http",
                "127.0.0.1:" + httpPort,
                "--disable-periodic-broker-push");
        try {
            Files.createDirectories(datadir);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "wal node " + id + ": cannot start: " + e.getMessage(), e);
        }
    }

    void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts()) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "wal node " + id + " exited" + (p == null ? "" : " with " + p.exitValue()) + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "wal node " + id + " not listening within " + START_TIMEOUT + "; see " + log);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new XenonException(ErrorCode.UNAVAILABLE, "wal node " + id + ": interrupted while starting");
            }
        }
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

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", grpcPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
