package io.xenondb.storagenode.upcall;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.service.process.ServiceProcess;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.storagenode.StorageNodeApplication;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A storage node process with {@code --control-plane-api}: it serves nothing until re-attach is answered (it
 * retries while the controller is away), loads the answered tenants in their generations, drops the others at
 * its next start, and stops promptly even while it is still waiting for its controller.
 */
class ControlPlaneStartIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TENANT = "7a2b3c4d5e6f708192a3b4c5d6e7f801";

    private final AtomicReference<String> answer = new AtomicReference<>("{\"tenants\": []}");
    private HttpServer controller;
    private ServiceProcess node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop(Duration.ofSeconds(15));
        }
        if (controller != null) {
            controller.stop(0);
        }
    }

    @Test
    void waitsForReAttachThenLoadsTheAnsweredTenantsAndDropsTheRest() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "control-plane-start-it"))
                .toAbsolutePath();
        Path workdir = dir.resolve("node");
        FileTrees.deleteRecursively(workdir);
        Files.createDirectories(workdir);
        int controllerPort = FreePorts.allocate();
        int http = FreePorts.allocate();
        node = node(workdir, controllerPort, http, dir.resolve("node.log"));

        // No controller yet: the node retries and does not serve.
        awaitLog(node, "re-attach attempt 2 failed");
        assertThat(listening(http)).isFalse();

        answer.set("{\"tenants\": [{\"id\": \"%s\", \"gen\": 5, \"mode\": \"AttachedSingle\", \"stripe_size\": 0}]}"
                .formatted(TENANT));
        startController(controllerPort);
        node.awaitPort("127.0.0.1", http, Duration.ofMinutes(1));
        JsonNode held = JSON.readTree(get("http://127.0.0.1:" + http + "/v1/location_config/" + TENANT));
        assertThat(held.get("mode").asString()).isEqualTo("AttachedSingle");
        assertThat(held.get("generation").asLong()).isEqualTo(5);
        assertThat(workdir.resolve("tenants").resolve(TENANT)).isDirectory();

        // Restarted with an answer that no longer names the tenant: its local state goes.
        node.stop(Duration.ofSeconds(15));
        answer.set("{\"tenants\": []}");
        node.start().awaitPort("127.0.0.1", http, Duration.ofMinutes(1));
        assertThat(get("http://127.0.0.1:" + http + "/v1/location_config")).doesNotContain(TENANT);
        assertThat(workdir.resolve("tenants").resolve(TENANT)).doesNotExist();

        // The controller goes away: a node waiting for re-attach still stops at once on SIGTERM.
        node.stop(Duration.ofSeconds(15));
        controller.stop(0);
        node.start();
        awaitLog(node, "re-attach attempt 2 failed");
        long started = System.nanoTime();
        node.stop(Duration.ofSeconds(15));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    private static ServiceProcess node(Path workdir, int controllerPort, int http, Path log) {
        return ServiceProcess.java(
                        "storage-node",
                        StorageNodeApplication.class.getName(),
                        List.of(
                                "--id",
                                "3",
                                "-D",
                                workdir.toString(),
                                "--listen-http",
                                "127.0.0.1:" + http,
                                "--listen-grpc",
                                "127.0.0.1:" + FreePorts.allocate(),
                                "--broker-endpoint",
                                "http://127.0.0.1:" + FreePorts.allocate(),
                                "--control-plane-api",
                                "http://127.0.0.1:" + controllerPort + "/upcall/v1/",
                                "--availability-zone",
                                "az-1"),
                        log)
                .start();
    }

    private void startController(int port) throws IOException {
        controller = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        controller.createContext("/upcall/v1/re-attach", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        controller.start();
    }

    private static void awaitLog(ServiceProcess process, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(process.log()) && Files.readString(process.log()).contains(text)) {
                return;
            }
            assertThat(process.isAlive()).as(process.logTail(20)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in the log within a minute:\n" + process.logTail(20));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String get(String url) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response =
                    client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        }
    }
}
