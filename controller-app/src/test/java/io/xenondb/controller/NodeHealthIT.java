package io.xenondb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.controller.TestHttp.Answer;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.service.process.ServiceProcess;
import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Node health and the per-tenant rate limit against two real storage nodes (processes) and the controller
 * in-process ({@code --heartbeat-interval 1s --max-offline-interval 3s --tenant-rate-limit 5}): a killed node turns
 * Offline, new tenants go to the other, and when it comes back with an empty disk it turns Active and its shards are
 * attached again in a new generation; {@code /metrics} follows every step exactly.
 */
@Tag("controller")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeHealthIT {
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration MAX_OFFLINE = Duration.ofSeconds(3);
    private static final int RATE_LIMIT = 5;

    private static Path dir;
    private static final ServiceProcess[] nodes = new ServiceProcess[3];
    private static final int[] httpPorts = new int[3];
    private static ConfigurableApplicationContext controller;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createDirectories(Path.of("target", "node-health-it")).toAbsolutePath();
        FileTrees.deleteRecursively(dir.resolve("db"));
        for (int id = 1; id <= 2; id++) {
            FileTrees.deleteRecursively(nodeDir(id));
            Files.createDirectories(nodeDir(id));
            httpPorts[id] = FreePorts.allocate();
            nodes[id] = TestStorageNodes.process(
                    "storage-node-" + id, id, nodeDir(id), httpPorts[id], dir.resolve("storage" + id + ".log"));
            nodes[id].start();
        }
        for (int id = 1; id <= 2; id++) {
            nodes[id].awaitPort("127.0.0.1", httpPorts[id], Duration.ofMinutes(1));
        }
        int port = FreePorts.allocate();
        base = "http://127.0.0.1:" + port;
        controller = ControllerApplication.start(
                "--dev",
                "--listen",
                "127.0.0.1:" + port,
                "--dev-data-dir",
                dir.resolve("db").toString(),
                "--heartbeat-interval",
                "1s",
                "--max-offline-interval",
                "3s",
                "--tenant-rate-limit",
                Integer.toString(RATE_LIMIT));
        await(
                "controller ready",
                Duration.ofSeconds(30),
                () -> send("GET", "/ready", null).status() == 200);
    }

    @AfterAll
    static void stop() {
        if (controller != null) {
            controller.close();
        }
        for (ServiceProcess node : nodes) {
            if (node != null) {
                node.stop(Duration.ofSeconds(20));
            }
        }
    }

    private static Path nodeDir(int id) {
        return dir.resolve("storage" + id);
    }

    @Test
    @Order(1)
    void aKilledNodeTurnsOfflineAndComesBackWithItsShardsReconciled() throws Exception {
        for (int id = 1; id <= 2; id++) {
            Answer registered = send("POST", "/control/v1/node", """
                    {"node_id": %d, "listen_pg_addr": "127.0.0.1", "listen_pg_port": 64000,
                     "listen_http_addr": "127.0.0.1", "listen_http_port": %d,
                     "availability_zone_id": "az-%d"}""".formatted(id, httpPorts[id], id));
            assertThat(registered.status()).as(registered.body()).isEqualTo(200);
            assertThat(registered.json().get("availability").asString()).isEqualTo("Active");
        }
        assertThat(metric("storage_controller_pageserver_nodes")).isEqualTo(2.0);
        await(
                "a heartbeat round counted both nodes Active",
                Duration.ofSeconds(10),
                () -> metric("storage_controller_pageserver_nodes_by_availability{availability=\"active\"}") == 2.0);

        // Four tenants, spread over the two nodes (least loaded first, then the lower id).
        List<String> tenants = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            String tenant = "%032x".formatted(0xA0 + i);
            tenants.add(tenant);
            JsonNode shard = create(tenant);
            assertThat(shard.get("node_id").asLong()).isEqualTo(i % 2 == 1 ? 1 : 2);
            assertThat(shard.get("generation").asLong()).isEqualTo(1);
        }
        assertThat(reconciles("ok")).isEqualTo(4.0);
        assertThat(reconciles("error")).isZero();

        // kill -9 node 2: Offline once silent for --max-offline-interval, detected by the 1 s heartbeats.
        long killed = System.nanoTime();
        nodes[2].kill();
        await("node 2 Offline", Duration.ofSeconds(15), () -> "Offline".equals(availability(2)));
        Duration tookOffline = Duration.ofNanos(System.nanoTime() - killed);
        assertThat(tookOffline)
                .as("Offline after %s", tookOffline)
                .isGreaterThanOrEqualTo(MAX_OFFLINE.minus(HEARTBEAT).minus(HEARTBEAT))
                .isLessThanOrEqualTo(MAX_OFFLINE.plus(HEARTBEAT).plus(HEARTBEAT).plusSeconds(1));
        assertThat(availability(1)).isEqualTo("Active");
        await(
                "the node gauges follow",
                Duration.ofSeconds(5),
                () -> metric("storage_controller_pageserver_nodes_by_availability{availability=\"offline\"}") == 1.0
                        && metric("storage_controller_pageserver_nodes_by_availability{availability=\"active\"}")
                                == 1.0);

        // New tenants go to node 1 only; the Offline node's tenants are left where they are (no failover).
        for (int i = 5; i <= 6; i++) {
            String tenant = "%032x".formatted(0xA0 + i);
            tenants.add(tenant);
            assertThat(create(tenant).get("node_id").asLong()).isEqualTo(1);
        }
        assertThat(reconciles("ok")).isEqualTo(6.0);
        assertThat(send("GET", "/control/v1/tenant/" + tenants.get(1), null)
                        .json()
                        .get("shards")
                        .get(0)
                        .get("node_attached")
                        .asLong())
                .isEqualTo(2);

        // Node 2 comes back with an empty disk: Active again, and its two tenants attached in generation 2.
        FileTrees.deleteRecursively(nodeDir(2));
        Files.createDirectories(nodeDir(2));
        nodes[2].start().awaitPort("127.0.0.1", httpPorts[2], Duration.ofMinutes(1));
        await("node 2 Active", Duration.ofSeconds(15), () -> "Active".equals(availability(2)));
        for (String tenant : List.of(tenants.get(1), tenants.get(3))) {
            await(
                    "tenant " + tenant + " attached to node 2 again",
                    Duration.ofSeconds(15),
                    () -> nodeLocation(2, tenant)
                            .map(l -> l.get("mode").asString().equals("AttachedSingle")
                                    && l.get("generation").asLong() == 2)
                            .orElse(false));
            JsonNode shard = send("GET", "/control/v1/tenant/" + tenant, null)
                    .json()
                    .get("shards")
                    .get(0);
            assertThat(shard.get("node_attached").asLong()).isEqualTo(2);
            assertThat(shard.get("generation").asLong()).isEqualTo(2);
        }
        // Node 1's tenants were not touched.
        assertThat(nodeLocation(1, tenants.get(0))
                        .orElseThrow()
                        .get("generation")
                        .asLong())
                .isEqualTo(1);

        await("the reconciler is idle", Duration.ofSeconds(10), () -> {
            JsonNode status = send("GET", "/status", null).json();
            return status.get("reconciler_tasks_active").asLong() == 0
                    && status.get("reconciler_tasks_queued").asLong() == 0;
        });
        assertThat(reconciles("ok")).isEqualTo(8.0);
        assertThat(reconciles("error")).isZero();
        assertThat(metric("storage_controller_pageserver_nodes")).isEqualTo(2.0);
        assertThat(metric("storage_controller_tenant_slots{scheduling=\"active\"}"))
                .isEqualTo(6.0);
        await(
                "both nodes counted Active",
                Duration.ofSeconds(5),
                () -> metric("storage_controller_pageserver_nodes_by_availability{availability=\"active\"}") == 2.0);
        assertThat(metrics()).contains("resilience4j_circuitbreaker_state");
    }

    @Test
    @Order(2)
    void aBurstOverTheRateLimitOfOneTenantIsRefusedWhileAnotherIsServed() {
        String a = "%032x".formatted(0xB1);
        String b = "%032x".formatted(0xB2);
        create(a);
        create(b);
        // Nothing asked for either tenant by id yet: both buckets are full.
        int ok = 0;
        List<Answer> refused = new ArrayList<>();
        long burstStart = System.nanoTime();
        for (int i = 0; i < 3 * RATE_LIMIT; i++) {
            Answer answer = send("GET", "/control/v1/tenant/" + a, null);
            if (answer.status() == 200) {
                ok++;
            } else {
                refused.add(answer);
            }
        }
        Answer otherRoute = send("GET", "/v1/tenant/" + a + "/timeline", null);
        double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
        // The bucket holds 5, and refills at 5/s while the burst runs.
        assertThat(ok).isBetween(RATE_LIMIT, RATE_LIMIT + (int) Math.ceil(burstSeconds * RATE_LIMIT));
        assertThat(refused).hasSize(3 * RATE_LIMIT - ok).isNotEmpty();
        for (Answer answer : refused) {
            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.retryAfter()).isEqualTo("1");
            assertThat(answer.msg()).contains("tenant " + a).contains("rate limit of 5 requests/s");
        }
        if (burstSeconds < 0.2) {
            // Another route of the same tenant shares its bucket.
            assertThat(otherRoute.status()).isEqualTo(429);
        }
        // Tenant B in the same second: unaffected; metrics and node routes are never limited.
        for (int i = 0; i < RATE_LIMIT; i++) {
            assertThat(send("GET", "/control/v1/tenant/" + b, null).status()).isEqualTo(200);
        }
        for (int i = 0; i < 3 * RATE_LIMIT; i++) {
            assertThat(send("GET", "/metrics", null).status()).isEqualTo(200);
            assertThat(send("GET", "/control/v1/node", null).status()).isEqualTo(200);
        }
        // After the Retry-After, A is served again.
        sleep(1000);
        assertThat(send("GET", "/control/v1/tenant/" + a, null).status()).isEqualTo(200);
    }

    private static JsonNode create(String tenant) {
        Answer created = send("POST", "/v1/tenant", "{\"new_tenant_id\": \"%s\"}".formatted(tenant));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("shards").get(0);
    }

    private static String availability(int node) {
        Answer answer = send("GET", "/control/v1/node/" + node, null);
        return answer.status() == 200 ? answer.json().get("availability").asString() : "?";
    }

    private static Optional<JsonNode> nodeLocation(int node, String tenant) {
        Answer answer = exchange("GET", "http://127.0.0.1:" + httpPorts[node] + "/v1/location_config/" + tenant, null);
        return answer.status() == 200 ? Optional.of(answer.json()) : Optional.empty();
    }

    private static double reconciles(String result) {
        return metric("storage_controller_reconcile_complete_total{result=\"" + result + "\"}");
    }

    /** The value of one series of /metrics (its name with labels as printed); NaN if absent. */
    private static double metric(String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String metrics() {
        return send("GET", "/metrics", null).body();
    }

    private static void await(String what, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError(what + ": not within " + timeout);
    }

    private static Answer send(String method, String path, String body) {
        return exchange(method, base + path, body);
    }

    private static Answer exchange(String method, String url, String body) {
        return TestHttp.exchange(method, url, body);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
