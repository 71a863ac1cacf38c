package io.xenondb.compute.walproposer;

import io.grpc.ManagedChannel;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.proto.wal.GetTimelineStatusRequest;
import io.xenondb.proto.wal.GetTimelineStatusResponse;
import io.xenondb.proto.wal.WalServiceGrpc;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A WAL node as a process of its own ({@code io.xenondb.walnode.WalNodeApplication} from this test's class
 * path), with its data directory under target/. Stopped by its {@link Process} handle: {@link #stop()} is
 * SIGTERM, {@link #kill()} is kill -9.
 */
final class WalNodeProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    final NodeId id;
    final Path datadir;
    final int grpcPort;
    final int httpPort;
    private final Path log;
    private Process process;
    private ManagedChannel channel;

    WalNodeProcess(long id, Path parent) {
        this.id = NodeId.of(id);
        try {
            Files.createDirectories(parent);
            this.datadir = Files.createTempDirectory(parent, "wal-node-" + id + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.log = datadir.resolveSibling(datadir.getFileName() + ".log");
        this.grpcPort = FreePorts.allocate();
        this.httpPort = FreePorts.allocate();
    }

    WalNodeEndpoint endpoint() {
        return WalNodeEndpoint.of(id.value(), "127.0.0.1", grpcPort);
    }

    /** Starts the process and waits until its gRPC port accepts connections. */
    synchronized WalNodeProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.xenondb.walnode.WalNodeApplication",
                "--id",
                id.toString(),
                "--datadir",
                datadir.toString(),
                "--listen-grpc",
                "127.0.0.1:" + grpcPort,
                "--listen-http",
                "127.0.0.1:" + httpPort,
                "--disable-periodic-broker-push"));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "WAL node " + id + " exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException(
                        "WAL node " + id + " not listening within " + START_TIMEOUT + "; see " + log);
            }
            sleep(50);
        }
        return this;
    }

    /** SIGTERM, and wait for the exit. */
    synchronized void stop() {
        end(false);
    }

    /** kill -9, and wait for the exit. */
    synchronized void kill() {
        end(true);
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Where the node keeps a timeline's segment files. */
    Path timelineDir(TenantTimelineId timeline) {
        return datadir.resolve(timeline.tenantId().toString())
                .resolve(timeline.timelineId().toString());
    }

    /** The node's view of a timeline, over gRPC. */
    synchronized GetTimelineStatusResponse status(TenantTimelineId timeline) {
        if (channel == null) {
            channel = WalNodeChannels.open(new ListenAddress("127.0.0.1", grpcPort));
        }
        return WalServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getTimelineStatus(GetTimelineStatusRequest.newBuilder()
                        .setTenantTimelineId(timeline.toWalProto())
                        .build());
    }

    Lsn flushLsn(TenantTimelineId timeline) {
        return Lsn.of(status(timeline).getFlushLsn());
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
        kill();
    }

    private void end(boolean force) {
        if (process == null) {
            return;
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
