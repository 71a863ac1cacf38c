package io.xenondb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.controller.TestHttp.Answer;
import io.xenondb.controller.db.ControllerDatabase;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.service.process.ServiceProcess;
import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The controller against a real storage node (in-process) and its embedded PostgreSQL 17: registration,
 * placement with a stored generation, timelines through the controller, a restart that loses nothing, bad input.
 */
@Tag("controller")
class ControllerIT {
    private static final String TENANT = "9ef87a5bf0d92544f6fafeeb3239695c";
    private static final String TIMELINE = "de200bd42b49cc1814412c7e592dd6e9";

    private static Path dir;
    private static ServiceProcess storageNode;
    private static ConfigurableApplicationContext controller;
    private static String nodeBase;
    private static int nodeHttpPort;
    private static String base;
    private static int controllerPort;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createDirectories(Path.of("target", "controller-it")).toAbsolutePath();
        Path nodeDir = dir.resolve("storage1");
        deleteRecursively(nodeDir);
        deleteRecursively(dir.resolve("db"));
        Files.createDirectories(nodeDir);
        nodeHttpPort = FreePorts.allocate();
        storageNode = TestStorageNodes.process("storage-node", 1, nodeDir, nodeHttpPort, dir.resolve("storage1.log"));
        storageNode.start().awaitPort("127.0.0.1", nodeHttpPort, Duration.ofMinutes(1));
        nodeBase = "http://127.0.0.1:" + nodeHttpPort;
        controllerPort = FreePorts.allocate();
        base = "http://127.0.0.1:" + controllerPort;
        startController();
    }

    @AfterAll
    static void stop() {
        if (controller != null) {
            controller.close();
        }
        if (storageNode != null) {
            storageNode.stop(Duration.ofSeconds(20));
        }
    }

    @Test
    void nodesTenantsTimelinesSurviveARestart() throws Exception {
        // Register the storage node with the seed's body (host:port in the address fields).
        Answer registered = send("POST", "/control/v1/node", """
                {"node_id": 1, "listen_pg_addr": "127.0.0.1:64000", "listen_http_addr": "127.0.0.1:%d",
                 "scheduling": "Active", "availability_zone": "us-east-1a"}""".formatted(nodeHttpPort));
        assertThat(registered.status()).isEqualTo(200);
        JsonNode node = send("GET", "/control/v1/node/1", null).json();
        assertThat(node.get("availability").asString()).isEqualTo("Active");
        assertThat(node.get("listen_http_port").asInt()).isEqualTo(nodeHttpPort);
        assertThat(node.get("availability_zone_id").asString()).isEqualTo("us-east-1a");

        // More than one shard: refused, and nothing stored.
        Answer sharded = send("POST", "/v1/tenant", """
                {"tenant_id": "%s", "placement_policy": {"attached_shards": 2, "secondary_shards": 1}}""".formatted(TENANT));
        assertThat(sharded.status()).isEqualTo(400);
        assertThat(sharded.msg()).contains("sharded tenants are not supported yet");
        assertThat(send("GET", "/control/v1/tenant/" + TENANT, null).status()).isEqualTo(404);

        // Create: placed on node 1 with generation 1, which the node holds AttachedSingle.
        Answer created = send("POST", "/v1/tenant", """
                {"tenant_id": "%s", "generation": 1,
                 "config": {"checkpoint_distance": 268435456, "compaction_threshold": 10,
                            "gc_horizon": 67108864, "pitr_interval": "7 days"},
                 "placement_policy": {"attached_shards": 1, "secondary_shards": 0}}""".formatted(TENANT));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("tenant_id").asString()).isEqualTo(TENANT);
        JsonNode shard = created.json().get("shards").get(0);
        assertThat(shard.get("node_id").asLong()).isEqualTo(1);
        assertThat(shard.get("generation").asLong()).isEqualTo(1);
        JsonNode held = get(nodeBase + "/v1/location_config/" + TENANT).json();
        assertThat(held.get("mode").asString()).isEqualTo("AttachedSingle");
        assertThat(held.get("generation").asLong()).isEqualTo(1);
        assertThat(held.get("tenant_conf").get("pitr_interval").asString()).isEqualTo("7 days");

        // A timeline through the controller is on the node.
        Answer timeline = send("POST", "/v1/tenant/" + TENANT + "/timeline", """
                {"new_timeline_id": "%s", "pg_version": 17}""".formatted(TIMELINE));
        assertThat(timeline.status()).as(timeline.body()).isEqualTo(201);
        assertThat(timeline.json().get("timeline_id").asString()).isEqualTo(TIMELINE);
        assertThat(get(nodeBase + "/v1/tenant/" + TENANT + "/timeline/" + TIMELINE)
                        .status())
                .isEqualTo(200);
        JsonNode listed =
                send("GET", "/v1/tenant/" + TENANT + "/timeline", null).json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("timeline_id").asString()).isEqualTo(TIMELINE);
        assertThat(send("GET", "/v1/tenant/" + TENANT + "/timeline/" + TIMELINE, null)
                        .json()
                        .get("state")
                        .asString())
                .isEqualTo("Active");

        assertThat(metrics()).contains("storage_controller_pageserver_nodes 1.0");
        assertThat(metrics()).contains("storage_controller_reconcile_complete_total{result=\"ok\"} 1.0");

        // Restart with the same embedded database: nodes, tenants and generations come back.
        controller.close();
        startController();
        JsonNode tenants = send("GET", "/control/v1/tenant?limit=10", null).json();
        assertThat(tenants).hasSize(1);
        JsonNode described = send("GET", "/control/v1/tenant/" + TENANT, null).json();
        assertThat(described.get("shards").get(0).get("node_attached").asLong()).isEqualTo(1);
        assertThat(described.get("shards").get(0).get("generation").asLong()).isEqualTo(1);
        assertThat(described.get("config").get("gc_horizon").asLong()).isEqualTo(67108864);
        assertThat(send("GET", "/control/v1/node", null).json()).hasSize(1);
        assertThat(send("GET", "/control/v1/node/1", null)
                        .json()
                        .get("availability")
                        .asString())
                .isEqualTo("Active");
        assertThat(flywayVersions()).containsExactly("1");
        assertThat(metrics()).contains("storage_controller_pageserver_nodes 1.0");

        // The same create again: the node still holds the current generation, so nothing is bumped.
        Answer again = send("POST", "/v1/tenant", "{\"new_tenant_id\": \"%s\"}".formatted(TENANT));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("shards").get(0).get("generation").asLong()).isEqualTo(1);

        // Timeline deletion: gone on the node once the controller answers.
        Answer deletedTimeline = send("DELETE", "/v1/tenant/" + TENANT + "/timeline/" + TIMELINE, null);
        assertThat(deletedTimeline.status()).as(deletedTimeline.body()).isEqualTo(200);
        assertThat(get(nodeBase + "/v1/tenant/" + TENANT + "/timeline/" + TIMELINE)
                        .status())
                .isEqualTo(404);
        // The node detached it behind the controller's back: the next create attaches with generation 2.
        get(nodeBase + "/v1/location_config/" + TENANT); // still there
        controller.close();
        put(nodeBase + "/v1/tenant/" + TENANT + "/location_config", "{\"mode\": \"Detached\"}");
        startController();
        Answer reattached = send("POST", "/v1/tenant", "{\"new_tenant_id\": \"%s\"}".formatted(TENANT));
        assertThat(reattached.status()).as(reattached.body()).isEqualTo(201);
        assertThat(reattached.json().get("shards").get(0).get("generation").asLong())
                .isEqualTo(2);
        assertThat(get(nodeBase + "/v1/location_config/" + TENANT)
                        .json()
                        .get("generation")
                        .asLong())
                .isEqualTo(2);

        // Draining: no new tenant goes there.
        Answer draining = send("PUT", "/control/v1/node/1/config", "{\"scheduling\": \"Draining\"}");
        assertThat(draining.json().get("scheduling").asString()).isEqualTo("Draining");
        Answer nowhere = send("POST", "/v1/tenant", "{\"new_tenant_id\": \"%s\"}".formatted("1".repeat(32)));
        assertThat(nowhere.status()).isEqualTo(503);
        assertThat(nowhere.msg()).contains("no Active storage node");
        send("PUT", "/control/v1/node/1/config", "{\"scheduling\": \"Active\"}");

        // Tenant deletion: detached on the node, rows gone.
        assertThat(send("DELETE", "/v1/tenant/" + TENANT, null).status()).isEqualTo(200);
        assertThat(send("GET", "/control/v1/tenant/" + TENANT, null).status()).isEqualTo(404);
        assertThat(get(nodeBase + "/v1/location_config/" + TENANT).status()).isEqualTo(404);
    }

    @Test
    void badInputIsA4xxWithMsgAndChangesNothing() throws Exception {
        List<String[]> corpus = new ArrayList<>();
        String[] bodies = {"{", "[]", "null", "42", "\"x\"", "{\"unknown_field\": 1}", "{\"node_id\": \"one\"}"};
        for (String body : bodies) {
            corpus.add(new String[] {"POST", "/v1/tenant", body});
            corpus.add(new String[] {"POST", "/control/v1/node", body});
            corpus.add(new String[] {"PUT", "/control/v1/node/1/config", body});
            corpus.add(new String[] {"POST", "/v1/tenant/" + TENANT + "/timeline", body});
            corpus.add(new String[] {"PUT", "/v1/tenant/" + "0".repeat(32) + "/location_config", body});
        }
        String location = "/v1/tenant/" + "0".repeat(32) + "/location_config";
        corpus.add(new String[] {"PUT", location, "{\"mode\": \"Sideways\", \"generation\": 1}"});
        corpus.add(new String[] {"PUT", location, "{\"mode\": \"AttachedSingle\", \"generation\": -1}"});
        corpus.add(new String[] {"PUT", location, "{\"mode\": \"AttachedSingle\", \"shard_count\": 4}"});
        corpus.add(new String[] {"PUT", location, "{\"mode\": \"AttachedSingle\", \"tenant_conf\": {\"x\": 1}}"});
        corpus.add(new String[] {"PUT", location, "{\"mode\": \"Secondary\"}"});
        corpus.add(new String[] {"PUT", "/v1/tenant/zz/location_config", "{\"mode\": \"Detached\"}"});
        corpus.add(new String[] {"GET", "/v1/location_config/zz", null});
        corpus.add(new String[] {"GET", "/v1/location_config/" + "0".repeat(32), null});
        corpus.add(new String[] {"POST", "/v1/tenant", "{\"new_tenant_id\": \"zz\"}"});
        corpus.add(new String[] {"POST", "/v1/tenant", "{\"new_tenant_id\": \"" + TENANT + "\", \"generation\": -1}"});
        corpus.add(
                new String[] {"POST", "/v1/tenant", "{\"new_tenant_id\": \"" + TENANT + "\", \"gc_period\": \"soon\"}"
                });
        corpus.add(
                new String[] {"POST", "/v1/tenant", "{\"new_tenant_id\": \"" + TENANT + "\", \"config\": {\"x\": 1}}"});
        corpus.add(new String[] {
            "POST", "/v1/tenant", "{\"new_tenant_id\": \"" + TENANT + "\", \"shard_parameters\": {\"count\": 4}}"
        });
        corpus.add(new String[] {"POST", "/control/v1/node", "{\"node_id\": 5, \"listen_pg_addr\": \"h:1\"}"});
        corpus.add(new String[] {
            "POST",
            "/control/v1/node",
            "{\"node_id\": 5, \"listen_pg_addr\": \"h:1\", \"listen_http_addr\": \"h:99999\","
                    + " \"availability_zone_id\": \"a\"}"
        });
        corpus.add(new String[] {"PUT", "/control/v1/node/1/config", "{\"scheduling\": \"Sideways\"}"});
        corpus.add(new String[] {"GET", "/control/v1/node/abc", null});
        corpus.add(new String[] {"GET", "/control/v1/node/-1", null});
        corpus.add(new String[] {"GET", "/control/v1/tenant/xyz", null});
        corpus.add(new String[] {"GET", "/control/v1/tenant?limit=0", null});
        corpus.add(new String[] {"GET", "/control/v1/tenant?limit=ten", null});
        corpus.add(new String[] {"GET", "/control/v1/tenant?start_after=nope", null});
        corpus.add(new String[] {"DELETE", "/v1/tenant/" + TENANT + "-0102", null});
        corpus.add(new String[] {"GET", "/v1/tenant/" + TENANT + "/timeline/zz", null});
        corpus.add(new String[] {"DELETE", "/v1/tenant/" + TENANT + "/timeline/zz", null});
        corpus.add(new String[] {
            "POST",
            "/v1/tenant/" + "0".repeat(32) + "/timeline",
            "{\"new_timeline_id\": \"" + TIMELINE + "\", \"ancestor_start_lsn\": \"0/ZZ\"}"
        });
        corpus.add(new String[] {"GET", "/no/such/route", null});
        // Bodies over the 1 MiB limit last: the server closes such a connection, and a client reusing it for the
        // next request may find it closed.
        String huge = "x".repeat(2_000_000);
        for (String[] route : new String[][] {
            {"POST", "/v1/tenant"},
            {"POST", "/control/v1/node"},
            {"PUT", "/control/v1/node/1/config"},
            {"POST", "/v1/tenant/" + TENANT + "/timeline"},
            {"PUT", location}
        }) {
            corpus.add(new String[] {route[0], route[1], huge});
        }
        for (String[] request : corpus) {
            Answer answer = send(request[0], request[1], request[2]);
            String shown = request[0] + " " + request[1] + " "
                    + (request[2] == null ? "" : request[2].substring(0, Math.min(80, request[2].length())));
            if (answer.status() == -1 && request[2] != null && request[2].length() > 1_000_000) {
                // Over the 1 MiB limit the server answers 400 before the body is all sent, then closes the
                // connection; a client still sending may see the close first. Never a 5xx either way.
                continue;
            }
            assertThat(answer.status()).as(shown + " -> " + answer.body()).isBetween(400, 499);
            assertThat(answer.msg()).as(shown).isNotBlank();
        }
        assertThat(send("GET", "/control/v1/node/5", null).status()).isEqualTo(404);
        assertThat(send("GET", "/control/v1/tenant/" + "0".repeat(32), null).status())
                .isEqualTo(404);
    }

    @Test
    void healthAndStatus() throws Exception {
        assertThat(send("GET", "/live", null).status()).isEqualTo(200);
        assertThat(send("GET", "/ready", null).status()).isEqualTo(200);
        JsonNode status = send("GET", "/status", null).json();
        assertThat(status.has("version")).isTrue();
        assertThat(status.get("uptime_seconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(status.get("reconciler_tasks_active").asLong()).isZero();
        assertThat(status.get("reconciler_tasks_queued").asLong()).isZero();
        assertThat(metrics()).contains("storage_controller_tenant_slots{scheduling=\"active\"}");
    }

    private static void startController() {
        controller = ControllerApplication.start(
                "--dev",
                "--listen",
                "127.0.0.1:" + controllerPort,
                "--dev-data-dir",
                dir.resolve("db").toString(),
                "--max-offline-interval",
                "10s",
                // The bad-input corpus sends dozens of requests to one tenant in a second: unlimited here, so each
                // answer is about the input (NodeHealthIT covers the limit).
                "--tenant-rate-limit",
                "0");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (send("GET", "/ready", null).status() == 200) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("controller not ready within 30 s");
    }

    private static List<String> flywayVersions() throws Exception {
        var url = controller.getBean(ControllerDatabase.class).url();
        List<String> versions = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    private static String metrics() {
        return send("GET", "/metrics", null).body();
    }

    private static Answer send(String method, String path, String body) {
        return exchange(method, base + path, body);
    }

    private static Answer get(String url) {
        return exchange("GET", url, null);
    }

    private static Answer put(String url, String body) {
        return exchange("PUT", url, body);
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

    private static void deleteRecursively(Path path) throws IOException {
        FileTrees.deleteRecursively(path);
    }
}
