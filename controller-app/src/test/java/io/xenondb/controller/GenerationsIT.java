package io.xenondb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.controller.TestHttp.Answer;
import io.xenondb.controller.db.ControllerDatabase;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.service.process.ServiceProcess;
import io.xenondb.shared.auth.Claims;
import io.xenondb.shared.auth.Jwt;
import io.xenondb.shared.auth.Scope;
import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Generations end to end: a storage node process started with {@code --control-plane-api} registers itself and
 * gets bumped generations through re-attach at every start, validate tells current from stale, a second attach
 * bumps the generation, and a tenant the controller forgot is dropped by the node at its next start. The
 * controller runs in-process with auth on and its embedded PostgreSQL.
 */
@Tag("controller")
class GenerationsIT {
    private static final String TENANT = "5c0f4bb2a1f0d7c2a0a4e53f27b0f1aa";
    private static final String FORGOTTEN = "6d1e5cc3b2e1e8d3b1b5f6404c1e2bbb";

    private static Path dir;
    private static Path nodeDir;
    private static ServiceProcess storageNode;
    private static ConfigurableApplicationContext controller;
    private static String base;
    private static String nodeBase;
    private static int nodeHttpPort;
    private static int nodeGrpcPort;
    private static String admin;
    private static String upcallToken;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createDirectories(Path.of("target", "generations-it")).toAbsolutePath();
        nodeDir = dir.resolve("storage1");
        FileTrees.deleteRecursively(nodeDir);
        FileTrees.deleteRecursively(dir.resolve("db"));
        Files.createDirectories(nodeDir);
        Map<String, String> pair = Jwt.generatePem();
        PrivateKey key = Jwt.privateKey(pair.get("private"));
        Path publicPem = dir.resolve("auth_public_key.pem");
        Files.writeString(publicPem, pair.get("public"));
        admin = Jwt.mint(key, Claims.of(Scope.ADMIN));
        upcallToken = Jwt.mint(key, Claims.of(Scope.GENERATIONS_API));

        int port = FreePorts.allocate();
        base = "http://127.0.0.1:" + port;
        controller = ControllerApplication.start(
                "--dev",
                "--listen",
                "127.0.0.1:" + port,
                "--dev-data-dir",
                dir.resolve("db").toString(),
                "--public-key",
                publicPem.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (send("GET", "/ready", null).status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("controller not ready within 30 s");
            }
            sleep(100);
        }
        nodeHttpPort = FreePorts.allocate();
        nodeGrpcPort = FreePorts.allocate();
        nodeBase = "http://127.0.0.1:" + nodeHttpPort;
        startNode();
    }

    @AfterAll
    static void stop() {
        if (storageNode != null) {
            storageNode.stop(Duration.ofSeconds(20));
        }
        if (controller != null) {
            controller.close();
        }
    }

    /** A node process that re-attaches (registering itself) before it serves. */
    private static void startNode() {
        storageNode = TestStorageNodes.process(
                "storage-node",
                1,
                nodeDir,
                nodeHttpPort,
                nodeGrpcPort,
                dir.resolve("storage1.log"),
                "--control-plane-api",
                base,
                "--control-plane-api-token",
                upcallToken,
                "--availability-zone",
                "az-1");
        storageNode.start().awaitPort("127.0.0.1", nodeHttpPort, Duration.ofMinutes(1));
    }

    private static void restartNode() {
        storageNode.stop(Duration.ofSeconds(20));
        startNode();
    }

    @Test
    void restartsBumpGenerationsAndValidateTellsStaleFromCurrent() throws Exception {
        // The node registered itself through re-attach: Active, with its own addresses and zone.
        JsonNode node = send("GET", "/control/v1/node/1", null).json();
        assertThat(node.get("availability").asString()).isEqualTo("Active");
        assertThat(node.get("listen_http_port").asInt()).isEqualTo(nodeHttpPort);
        assertThat(node.get("listen_grpc_port").asInt()).isEqualTo(nodeGrpcPort);
        assertThat(node.get("availability_zone_id").asString()).isEqualTo("az-1");

        Answer created = send("POST", "/v1/tenant", "{\"new_tenant_id\": \"" + TENANT + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("shards").get(0).get("generation").asLong())
                .isEqualTo(1);
        assertThat(send("POST", "/v1/tenant", "{\"new_tenant_id\": \"" + FORGOTTEN + "\"}")
                        .status())
                .isEqualTo(201);
        assertHeld(TENANT, 1);

        // A restart: re-attach issues generation 2, stored before the node got it, and the node holds it.
        restartNode();
        assertThat(storedGeneration(TENANT)).isEqualTo(2);
        assertHeld(TENANT, 2);
        assertHeld(FORGOTTEN, 2);

        // Validate: the current generation is valid; the old one and an unknown tenant are not.
        Answer validated = send("POST", "/upcall/v1/validate", """
                {"tenants": [{"id": "%s", "gen": 2}, {"id": "%s", "gen": 1},
                             {"id": "00000000000000000000000000000001", "gen": 2}]}""".formatted(TENANT, TENANT));
        assertThat(validated.status()).as(validated.body()).isEqualTo(200);
        JsonNode answers = validated.json().get("tenants");
        assertThat(answers).hasSize(3);
        assertThat(answers.get(0).get("id").asString()).isEqualTo(TENANT);
        assertThat(answers.get(0).get("valid").asBoolean()).isTrue();
        assertThat(answers.get(1).get("valid").asBoolean()).isFalse();
        assertThat(answers.get(2).get("valid").asBoolean()).isFalse();

        // A second attach of the tenant (the node lost it) bumps the generation again.
        assertThat(put(nodeBase + "/v1/tenant/" + TENANT + "/location_config", "{\"mode\": \"Detached\"}")
                        .status())
                .isEqualTo(200);
        // Re-registering makes the controller read what the node holds now.
        assertThat(send("POST", "/control/v1/node", """
                        {"node_id": 1, "listen_pg_addr": "127.0.0.1", "listen_pg_port": %d,
                         "listen_http_addr": "127.0.0.1", "listen_http_port": %d, "availability_zone_id": "az-1"}""".formatted(nodeGrpcPort, nodeHttpPort))
                        .status())
                .isEqualTo(200);
        Answer again = send("POST", "/v1/tenant", "{\"new_tenant_id\": \"" + TENANT + "\"}");
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(again.json().get("shards").get(0).get("generation").asLong()).isEqualTo(3);
        assertHeld(TENANT, 3);
        assertThat(storedGeneration(TENANT)).isEqualTo(3);

        // The controller forgets a tenant while the node is down: at its next start the node drops it.
        storageNode.stop(Duration.ofSeconds(20));
        deleteRows(FORGOTTEN);
        startNode();
        assertThat(get(nodeBase + "/v1/location_config/" + FORGOTTEN).status()).isEqualTo(404);
        assertThat(nodeDir.resolve("tenants").resolve(FORGOTTEN)).doesNotExist();
        assertHeld(TENANT, 4);
        assertThat(storedGeneration(TENANT)).isEqualTo(4);
    }

    @Test
    void badUpcallsAre4xxWithAMessage() {
        Answer unknown = send("POST", "/upcall/v1/re-attach", "{\"node_id\": 77}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.msg()).contains("node 77");
        String[][] corpus = {
            {"/upcall/v1/re-attach", "{}"},
            {"/upcall/v1/re-attach", "{\"node_id\": -1}"},
            {"/upcall/v1/re-attach", "{\"node_id\": \"x\"}"},
            {"/upcall/v1/re-attach", "{\"node_id\": 1, \"colour\": 1}"},
            {"/upcall/v1/re-attach", "{\"node_id\": 1, \"register\": {\"node_id\": 2}}"},
            {"/upcall/v1/re-attach", "[1"},
            {"/upcall/v1/re-attach", ""},
            {"/upcall/v1/validate", "{}"},
            {"/upcall/v1/validate", "{\"tenants\": [null]}"},
            {"/upcall/v1/validate", "{\"tenants\": [{\"id\": \"nope\", \"gen\": 1}]}"},
            {"/upcall/v1/validate", "{\"tenants\": [{\"id\": \"" + TENANT + "\", \"gen\": -1}]}"},
            {"/upcall/v1/validate", "{\"tenants\": [{\"id\": \"" + TENANT + "\"}]}"},
            {"/upcall/v1/validate", "{\"tenants\": [{\"id\": \"" + TENANT + "\", \"gen\": 1, \"x\": 1}]}"},
            {"/upcall/v1/validate", "{\"tenants\": 5}"},
        };
        for (String[] c : corpus) {
            Answer answer = send("POST", c[0], c[1]);
            assertThat(answer.status())
                    .as(c[0] + " " + c[1] + " -> " + answer.body())
                    .isEqualTo(400);
            assertThat(answer.msg()).as(c[1]).isNotBlank();
        }
        // The upcalls need their scope: an admin-only caller is fine, a tenant-scoped one is not.
        assertThat(exchange("POST", base + "/upcall/v1/validate", "{\"tenants\": []}", upcallToken)
                        .status())
                .isEqualTo(200);
        assertThat(exchange("POST", base + "/upcall/v1/validate", "{\"tenants\": []}", null)
                        .status())
                .isEqualTo(401);
    }

    private static void assertHeld(String tenant, long generation) {
        Answer held = get(nodeBase + "/v1/location_config/" + tenant);
        assertThat(held.status()).as(held.body()).isEqualTo(200);
        assertThat(held.json().get("mode").asString()).isEqualTo("AttachedSingle");
        assertThat(held.json().get("generation").asLong()).isEqualTo(generation);
    }

    private static long storedGeneration(String tenant) {
        Answer described = send("GET", "/control/v1/tenant/" + tenant, null);
        assertThat(described.status()).as(described.body()).isEqualTo(200);
        return described.json().get("shards").get(0).get("generation").asLong();
    }

    private static void deleteRows(String tenant) throws Exception {
        var url = controller.getBean(ControllerDatabase.class).url();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                PreparedStatement delete = c.prepareStatement("DELETE FROM tenants WHERE tenant_id = ?")) {
            delete.setString(1, tenant);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
    }

    private static Answer send(String method, String path, String body) {
        return exchange(method, base + path, body, admin);
    }

    private static Answer get(String url) {
        return exchange("GET", url, null, null);
    }

    private static Answer put(String url, String body) {
        return exchange("PUT", url, body, null);
    }

    private static Answer exchange(String method, String url, String body, String token) {
        return TestHttp.exchange(method, url, body, token == null ? null : "Bearer " + token);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
