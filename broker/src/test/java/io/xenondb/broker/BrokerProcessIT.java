package io.xenondb.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.xenondb.proto.broker.MessageType;
import io.xenondb.proto.broker.ReactorBrokerServiceGrpc;
import io.xenondb.proto.broker.ReactorBrokerServiceGrpc.ReactorBrokerServiceStub;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.proto.broker.SubscribeSafekeeperInfoRequest;
import io.xenondb.proto.broker.TypedMessage;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker as the operator runs it: {@code java -jar broker-<version>-exec.jar} with flags, stopped by SIGTERM. */
@Tag("wal-service")
class BrokerProcessIT {
    private static final Pattern GRPC = Pattern.compile("serving gRPC on (\\S+)");
    private static final Pattern HTTP = Pattern.compile("serving HTTP \\(.*\\) on (\\S+)");

    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path logs;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void servesFromTheCommandLineAndStopsOnSigterm() throws Exception {
        Process broker = start("-l", "127.0.0.1:0", "--listen-http-addr", "127.0.0.1:0", "--timeline-chan-size", "8");
        ListenAddress grpc = ListenAddress.parse(await(broker, GRPC));
        ListenAddress http = ListenAddress.parse(await(broker, HTTP));

        ManagedChannel channel = BrokerClients.channel(grpc);
        try {
            ReactorBrokerServiceStub stub = ReactorBrokerServiceGrpc.newReactorStub(channel);
            TenantTimelineId timeline = BrokerClients.timeline(TenantId.generate(), 1);
            List<SafekeeperTimelineInfo> received = new CopyOnWriteArrayList<>();
            var subscription = stub.subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest.newBuilder()
                            .setTenantTimelineId(timeline.toBrokerProto())
                            .build())
                    .subscribe(received::add);
            await(broker, Pattern.compile("subscription started id=\\d+ key=" + timeline));

            Empty reply = stub.publishOne(TypedMessage.newBuilder()
                            .setType(MessageType.SAFEKEEPER_TIMELINE_INFO)
                            .setSafekeeperTimelineInfo(BrokerClients.state(timeline, 4, 0x16B5A50))
                            .build())
                    .block(Duration.ofSeconds(5));

            assertThat(reply).isEqualTo(Empty.getDefaultInstance());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(received).singleElement().satisfies(info -> {
                assertThat(info.getSafekeeperId()).isEqualTo(4);
                assertThat(info.getCommitLsn()).isEqualTo(0x16B5A50);
            });
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> status = client.send(
                        HttpRequest.newBuilder(URI.create("http://" + http + "/status"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(status.statusCode()).isEqualTo(200);
            }
            subscription.dispose();
        } finally {
            BrokerClients.close(channel);
        }

        broker.destroy(); // SIGTERM: the operator's stop
        assertThat(broker.waitFor(15, TimeUnit.SECONDS))
                .as("broker exits on SIGTERM")
                .isTrue();
        await(broker, Pattern.compile("broker gRPC server stopped"));
    }

    @Test
    void unknownFlagAndBadAddressFailWithOneLine() throws Exception {
        Process typo = start("--listen-adr", "127.0.0.1:0");
        assertThat(typo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(typo.exitValue()).isEqualTo(2);
        assertThat(stderr(typo))
                .startsWith("broker: unknown flag --listen-adr (expected one of: --listen-addr, ")
                .hasLineCount(1);

        Process bad = start("--listen-addr", "127.0.0.1:http", "--listen-http-addr", "127.0.0.1:0");
        assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(1);
        assertThat(stderr(bad))
                .isEqualTo("broker: failed to start: invalid --listen-addr '127.0.0.1:http': address: 127.0.0.1:http"
                        + " (expected: host:port with port 0..65535, e.g. 127.0.0.1:50051 or [::1]:50051)\n");
        assertThat(stdout(bad)).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private Process start(String... flags) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx128m");
        command.add("-jar");
        command.add(execJar().toString());
        command.addAll(List.of(flags));
        // Output goes to files: a pipe read by a thread can lose what the process writes just before it exits.
        int n = processes.size();
        Process process = new ProcessBuilder(command)
                .redirectOutput(logs.resolve("stdout-" + n + ".log").toFile())
                .redirectError(logs.resolve("stderr-" + n + ".log").toFile())
                .start();
        processes.add(process);
        return process;
    }

    private String stdout(Process process) throws IOException {
        return Files.readString(logs.resolve("stdout-" + processes.indexOf(process) + ".log"));
    }

    private String stderr(Process process) throws IOException {
        return Files.readString(logs.resolve("stderr-" + processes.indexOf(process) + ".log"));
    }

    /** The first group of the first stdout line matching {@code pattern}, or the whole match. */
    private String await(Process process, Pattern pattern) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String output = stdout(process);
            Matcher matcher = pattern.matcher(output);
            if (matcher.find()) {
                return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line matching " + pattern + " in:\n" + output);
            }
            Thread.sleep(20);
        }
    }

    private static Path execJar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "broker-*-exec.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new AssertionError("no target/broker-*-exec.jar: run through `mvnw verify` (package builds it)");
    }
}
