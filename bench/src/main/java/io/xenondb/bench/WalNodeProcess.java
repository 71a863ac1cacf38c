package io.xenondb.bench;

import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A WAL node ({@code io.xenondb.walnode.WalNodeApplication}) as a process of its own ({@link BenchJvm}: normal
 * JIT, it is part of the system under test). Stopped by its process handle.
 */
final class WalNodeProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final long id;
    private final Path datadir;
    private final int grpcPort = FreePorts.allocate();
    private final int httpPort = FreePorts.allocate();
    private final BenchJvm jvm;

    WalNodeProcess(long id, Path parent) {
        this.id = id;
        this.datadir = parent.resolve("wal-node-" + id);
        this.jvm = new BenchJvm(
                "wal node " + id,
                List.of("-Xmx256m"),
                "io.xenondb.walnode.WalNodeApplication",
                List.of(
                        "--id",
                        Long.toString(id),
                        "--datadir",
                        datadir.toString(),
                        "--listen-grpc",
                        "127.0.0.1:" + grpcPort,
                        "--listen-http",
                        "127.0.0.1:" + httpPort,
                        "--disable-periodic-broker-push"),
                parent.resolve("wal-node-" + id + ".log"));
    }

    WalNodeEndpoint endpoint() {
        return WalNodeEndpoint.of(id, "127.0.0.1", grpcPort);
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + httpPort + "/metrics";
    }

    long pid() {
        return jvm.pid();
    }

    /** Starts the process; {@link #awaitListening()} waits for its gRPC port. */
    void start() {
        try {
            Files.createDirectories(datadir);
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "wal node " + id + ": cannot start: " + e.getMessage(), e);
        }
        jvm.start();
    }

    void awaitListening() {
        jvm.awaitPort(grpcPort, START_TIMEOUT);
    }

    /** SIGTERM, then SIGKILL if it has not exited within 20 s. */
    @Override
    public void close() {
        jvm.close();
    }
}
