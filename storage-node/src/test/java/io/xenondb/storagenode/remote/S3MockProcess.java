package io.xenondb.storagenode.remote;

import io.xenondb.pgruntime.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-protocol server for tests: S3Mock's executable jar (copied to {@code target/s3mock} by the build) as
 * a child process, plain HTTP on 127.0.0.1 only, one bucket, its files under {@code target/}. Closing it stops
 * the process.
 */
public final class S3MockProcess implements AutoCloseable {
    static final String BUCKET = "xenon-test";
    private static final Path JAR = Path.of("target", "s3mock", "s3mock-exec.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int httpPort;
    private final Path log;

    private S3MockProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    public static S3MockProcess start() throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the build through"
                    + " pre-integration-test (./mvnw -pl storage-node -am verify), which copies S3Mock's exec jar");
        }
        Path work = Files.createDirectories(Path.of("target", "s3mock"))
                .toAbsolutePath()
                .resolve("run-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path extension = Files.createDirectories(work.resolve("ext/io/xenondb/storagenode/remote"));
        try (InputStream in = S3MockLoopback.class.getResourceAsStream("S3MockLoopback.class")) {
            Files.copy(in, extension.resolve("S3MockLoopback.class"));
        }
        Path store = Files.createDirectories(work.resolve("store"));
        int httpPort = FreePorts.allocate();
        int httpsPort = FreePorts.allocate();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Dloader.path=" + work.resolve("ext"),
                "-cp",
                JAR.toAbsolutePath().toString(),
                // PropertiesLauncher, unlike the jar's JarLauncher, takes loader.path: S3MockLoopback joins S3Mock's
                // own class loader, where Spring is.
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--server.address=127.0.0.1",
                "--server.port=" + httpsPort,
                "--http.port=" + httpPort,
                "--spring.main.sources=io.xenondb.storagenode.remote.S3MockLoopback",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--com.adobe.testing.s3mock.store.root=" + store,
                "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
                "--com.adobe.testing.s3mock.max-payload-size=64MB"));
        Path log = work.resolve("s3mock.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        S3MockProcess server = new S3MockProcess(process, httpPort, log);
        try {
            server.awaitListening();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "S3Mock exited with " + process.exitValue() + "; log: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", httpPort), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("S3Mock did not listen on 127.0.0.1:" + httpPort + " within " + START_TIMEOUT
                + "; log: " + Files.readString(log));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** A config for the bucket under {@code prefix}, with short timeouts and static dummy keys. */
    public RemoteStorageConfig.S3 config(String prefix) {
        return RemoteStorageConfig.S3
                .of(BUCKET, "us-east-1", prefix, endpoint())
                .withCredentials(new RemoteStorageConfig.S3Credentials("test-access-key", "test-secret-key"))
                .withRetries(Duration.ofSeconds(20), 2);
    }

    int httpPort() {
        return httpPort;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
