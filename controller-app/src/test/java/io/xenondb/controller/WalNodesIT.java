package io.xenondb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.xenondb.controller.TestHttp.Answer;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.service.process.ServiceProcess;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.walnode.WalNodeApplication;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * WAL nodes in the controller: registration (persisted), timelines placed on three WAL nodes in distinct zones,
 * least loaded first, created there with the storage node's start LSN, a quorum required, deleted with the
 * timeline and the tenant. Four real WAL node processes, a storage node process, the controller in-process, and a
 * stand-in WAL node that records the Authorization header and refuses timeline creation.
 */
@Tag("controller")
class WalNodesIT {
    private static final String TENANT = "5aa3a62b4cfe12a0d4ae0f9bb5e2c8d1";
    private static final String TIMELINE_1 = "11111111111111111111111111111111";
    private static final String TIMELINE_2 = "22222222222222222222222222222222";
    private static final String TIMELINE_3 = "33333333333333333333333333333333";
    private static final String TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJzY29wZSI6InNhZmVrZWVwZXJkYXRhIn0.c2ln";
    /** Zones of WAL nodes 1-4: two in a, one each in b and c. 1, 3 and 4 are real; 2 is a stand-in. */
    private static final Map<Integer, String> ZONES = Map.of(1, "az-a", 2, "az-a", 3, "az-b", 4, "az-c");

    private static final List<Integer> REAL = List.of(1, 3, 4);

    private static Path dir;
    private static final List<ServiceProcess> walNodes = new ArrayList<>();
    private static final int[] walHttpPorts = new int[5];
    private static final int[] walGrpcPorts = new int[5];
    private static ServiceProcess storageNode;
    private static int storageHttpPort;
    /** Stand-in WAL node 2 accepts every call; 5 refuses timeline creation. Both record what they were sent. */
    private static HttpServer accepting;

    private static HttpServer refusing;
    private static final List<String> standInCalls = new CopyOnWriteArrayList<>();
    private static ConfigurableApplicationContext controller;
    private static int controllerPort;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createDirectories(Path.of("target", "wal-nodes-it")).toAbsolutePath();
        FileTrees.deleteRecursively(dir);
        Files.createDirectories(dir);
        for (int id : REAL) {
            walHttpPorts[id] = FreePorts.allocate();
            walGrpcPorts[id] = FreePorts.allocate();
            walNodes.add(ServiceProcess.java(
                    "wal-node-" + id,
                    WalNodeApplication.class.getName(),
                    List.of(
                            "--id",
                            Integer.toString(id),
                            "-D",
                            Files.createDirectories(dir.resolve("wal" + id)).toString(),
                            "--listen-grpc",
                            "127.0.0.1:" + walGrpcPorts[id],
                            "--listen-http",
                            "127.0.0.1:" + walHttpPorts[id],
                            "--disable-periodic-broker-push"),
                    dir.resolve("wal" + id + ".log")));
        }
        storageHttpPort = FreePorts.allocate();
        storageNode = TestStorageNodes.process(
                "storage-node",
                1,
                Files.createDirectories(dir.resolve("storage1")),
                storageHttpPort,
                dir.resolve("storage1.log"));
        walNodes.forEach(ServiceProcess::start);
        storageNode.start();
        // The controller starts (embedded PostgreSQL, Spring) while the nodes do.
        controllerPort = FreePorts.allocate();
        startController();
        for (int i = 0; i < REAL.size(); i++) {
            walNodes.get(i).awaitPort("127.0.0.1", walHttpPorts[REAL.get(i)], Duration.ofMinutes(1));
        }
        storageNode.awaitPort("127.0.0.1", storageHttpPort, Duration.ofMinutes(1));

        accepting = standIn(2, true);
        walHttpPorts[2] = accepting.getAddress().getPort();
        walGrpcPorts[2] = walHttpPorts[2];
        refusing = standIn(5, false);
    }

    @AfterAll
    static void stop() {
        if (controller != null) {
            controller.close();
        }
        for (HttpServer server : new HttpServer[] {accepting, refusing}) {
            if (server != null) {
                server.stop(0);
            }
        }
        walNodes.forEach(n -> n.stop(Duration.ofSeconds(10)));
        if (storageNode != null) {
            storageNode.stop(Duration.ofSeconds(20));
        }
    }

    /** A stand-in WAL node: answers {@code GET /v1/status} with its id, then every call with 200, or 500. */
    private static HttpServer standIn(int id, boolean accepts) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String call = id + " " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            standInCalls.add(call);
            boolean status = exchange.getRequestURI().getPath().equals("/v1/status");
            boolean ok = status || accepts;
            byte[] body = (status ? "{\"id\": " + id + "}" : ok ? "{}" : "{\"msg\": \"stand-in refuses\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void timelinesArePlacedOnThreeWalNodesInDistinctZones() throws Exception {
        Answer node = send("POST", "/control/v1/node", """
                {"node_id": 1, "listen_pg_addr": "127.0.0.1", "listen_pg_port": 64000,
                 "listen_http_addr": "127.0.0.1", "listen_http_port": %d, "availability_zone_id": "az-a"}""".formatted(storageHttpPort));
        assertThat(node.status()).as(node.body()).isEqualTo(200);
        assertThat(send("POST", "/v1/tenant", "{\"new_tenant_id\": \"" + TENANT + "\"}")
                        .status())
                .isEqualTo(201);

        // Registration: Activating, then Active once the node answered with its id.
        for (int id = 1; id <= 4; id++) {
            Answer registered = register(id, "127.0.0.1", walGrpcPorts[id], walHttpPorts[id], ZONES.get(id));
            assertThat(registered.status()).as(registered.body()).isEqualTo(200);
            assertThat(registered.json().get("scheduling_policy").asString()).isEqualTo("Active");
        }
        JsonNode described = send("GET", "/control/v1/safekeeper/3", null).json();
        assertThat(described.get("id").asLong()).isEqualTo(3);
        assertThat(described.get("region_id").asString()).isEqualTo("eu-local");
        assertThat(described.get("version").asLong()).isEqualTo(7);
        assertThat(described.get("host").asString()).isEqualTo("127.0.0.1");
        assertThat(described.get("port").asInt()).isEqualTo(walGrpcPorts[3]);
        assertThat(described.get("http_port").asInt()).isEqualTo(walHttpPorts[3]);
        assertThat(described.get("availability_zone_id").asString()).isEqualTo("az-b");
        assertThat(described.get("scheduling_policy").asString()).isEqualTo("Active");
        assertThat(send("GET", "/control/v1/safekeeper", null).json()).hasSize(4);

        // Timeline 1: nodes 1 (az-a, lowest id of the zone), 3 (az-b), 4 (az-c).
        Answer created = createTimeline(TIMELINE_1);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode info = created.json();
        assertThat(info.get("timeline_id").asString()).isEqualTo(TIMELINE_1);
        JsonNode sks = info.get("safekeepers");
        assertThat(sks.get("tenant_id").asString()).isEqualTo(TENANT);
        assertThat(sks.get("timeline_id").asString()).isEqualTo(TIMELINE_1);
        assertThat(sks.get("generation").asInt()).isEqualTo(1);
        assertThat(setOf(sks)).containsExactly(1L, 3L, 4L);
        assertThat(sks.get("safekeepers").get(0).get("hostname").asString()).isEqualTo("127.0.0.1");
        Set<String> zones = new HashSet<>();
        sks.get("safekeepers").forEach(sk -> zones.add(ZONES.get(sk.get("id").asInt())));
        assertThat(zones).hasSize(3);
        // Each has it, starting where the storage node's WAL ends, PostgreSQL 17; node 2 does not.
        String lastRecordLsn = info.get("last_record_lsn").asString();
        for (int id : REAL) {
            Answer status = walNodeTimeline(id, TIMELINE_1);
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            assertThat(status.json().get("timeline_start_lsn").asString()).isEqualTo(lastRecordLsn);
            assertThat(status.json().get("pg_info").get("pg_version").asInt() / 10_000)
                    .isEqualTo(17);
        }
        assertThat(standInCalls).noneMatch(call -> call.startsWith("2 POST") && call.contains(TIMELINE_1));

        // Timeline 2 (a branch): node 2 holds nothing yet, so it is az-a's pick now; it is asked with the token.
        Answer second = createBranch(TIMELINE_2);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(setOf(second.json().get("safekeepers"))).containsExactly(2L, 3L, 4L);
        String branchStart = second.json().get("last_record_lsn").asString();
        assertThat(standInCalls)
                .anySatisfy(call -> assertThat(call)
                        .startsWith("2 POST /v1/tenant/timeline Bearer " + TOKEN)
                        .contains("\"timeline_id\":\"" + TIMELINE_2 + "\"")
                        .contains("\"start_lsn\":\"" + branchStart + "\"")
                        .contains("\"pg_version\":170000"));
        assertThat(walNodeTimeline(3, TIMELINE_2)
                        .json()
                        .get("timeline_start_lsn")
                        .asString())
                .isEqualTo(branchStart);

        // A restart keeps registrations and sets: creating timeline 1 again answers the same set.
        controller.close();
        startController();
        JsonNode listed = send("GET", "/control/v1/safekeeper", null).json();
        assertThat(listed).hasSize(4);
        listed.forEach(sk -> assertThat(sk.get("scheduling_policy").asString()).isEqualTo("Active"));
        Answer again = createTimeline(TIMELINE_1);
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(setOf(again.json().get("safekeepers"))).containsExactly(1L, 3L, 4L);

        // Too few Active WAL nodes: refused before anything is created, on the storage node too.
        for (int id : List.of(2, 3, 4)) {
            assertThat(setPolicy(id, "Pause").json().get("scheduling_policy").asString())
                    .isEqualTo("Pause");
        }
        Answer refused = createBranch(TIMELINE_3);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.msg()).contains("1 Active WAL node(s)");
        assertThat(exchange("GET", storageBase() + "/v1/tenant/" + TENANT + "/timeline/" + TIMELINE_3, null)
                        .status())
                .isEqualTo(404);

        // No quorum: the stand-in (5) refuses and node 6 does not answer; only node 1 creates it: 503, and no
        // row with that set is kept, so that the retry below places it anew.
        int standInPort = refusing.getAddress().getPort();
        assertThat(register(5, "127.0.0.1", standInPort, standInPort, "az-d")
                        .json()
                        .get("scheduling_policy")
                        .asString())
                .isEqualTo("Active");
        int dead = FreePorts.allocate();
        assertThat(register(6, "127.0.0.1", dead, dead, "az-e")
                        .json()
                        .get("scheduling_policy")
                        .asString())
                .isEqualTo("Activating");
        setPolicy(6, "Active");
        Answer noQuorum = createBranch(TIMELINE_3);
        assertThat(noQuorum.status()).as(noQuorum.body()).isEqualTo(503);
        assertThat(noQuorum.msg()).contains("created on 1 of its WAL nodes").contains("stand-in refuses");
        setPolicy(5, "Decomissioned");
        setPolicy(6, "Pause");
        for (int id : List.of(2, 3, 4)) {
            setPolicy(id, "Active");
        }
        Answer retried = createBranch(TIMELINE_3);
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        // Loads: 1 -> 1, 2 -> 1, 3 -> 2, 4 -> 2: az-a's least loaded is 1 (tie, lowest id), then 3, 4.
        assertThat(setOf(retried.json().get("safekeepers"))).containsExactly(1L, 3L, 4L);

        // Timeline delete: gone from its WAL nodes and the storage node; others untouched.
        Answer deleted = send("DELETE", "/v1/tenant/" + TENANT + "/timeline/" + TIMELINE_3, null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        for (int id : REAL) {
            assertThat(walNodeTimeline(id, TIMELINE_3).status()).isEqualTo(404);
            assertThat(walNodeTimeline(id, TIMELINE_1).status()).isEqualTo(200);
        }

        // Tenant delete: every WAL node holding one of its timelines drops the tenant.
        Answer tenantDeleted = send("DELETE", "/v1/tenant/" + TENANT, null);
        assertThat(tenantDeleted.status()).as(tenantDeleted.body()).isEqualTo(200);
        for (int id : REAL) {
            assertThat(walNodeTimeline(id, TIMELINE_1).status()).isEqualTo(404);
            assertThat(walNodeTimeline(id, TIMELINE_2).status()).isEqualTo(404);
        }
        assertThat(standInCalls).contains("2 DELETE /v1/tenant/" + TENANT + " Bearer " + TOKEN + " ");
        assertThat(standInCalls).noneMatch(call -> call.startsWith("5 DELETE"));
    }

    @Test
    void badBodiesOnTheWalNodeRoutesAre400WithMsg() {
        String valid = """
                {"id": 9, "region_id": "r", "version": 1, "host": "h", "port": 1, "http_port": 2,
                 "availability_zone_id": "z"}""";
        List<String[]> corpus = new ArrayList<>();
        for (String body : List.of("{", "[]", "null", "42", "", "{\"unknown\": 1}")) {
            corpus.add(new String[] {"POST", "/control/v1/safekeeper/9", body});
            corpus.add(new String[] {"POST", "/control/v1/safekeeper/9/scheduling_policy", body});
        }
        corpus.add(new String[] {"POST", "/control/v1/safekeeper/8", valid});
        corpus.add(new String[] {"POST", "/control/v1/safekeeper/abc", valid});
        corpus.add(new String[] {"POST", "/control/v1/safekeeper/-9", valid.replace("9", "-9")});
        corpus.add(new String[] {"POST", "/control/v1/safekeeper/9", valid.replace("\"port\": 1", "\"port\": 0")});
        corpus.add(new String[] {
            "POST", "/control/v1/safekeeper/9", valid.replace("\"http_port\": 2", "\"http_port\": 70000")
        });
        corpus.add(
                new String[] {"POST", "/control/v1/safekeeper/9", valid.replace("\"version\": 1", "\"version\": -1")});
        corpus.add(new String[] {
            "POST", "/control/v1/safekeeper/9", valid.replace("\"version\": 1", "\"version\": \"one\"")
        });
        corpus.add(
                new String[] {"POST", "/control/v1/safekeeper/9", valid.replace("\"host\": \"h\"", "\"host\": \"a b\"")
                });
        corpus.add(
                new String[] {"POST", "/control/v1/safekeeper/9", valid.replace("\"host\": \"h\"", "\"host\": \"h:5\"")
                });
        for (String host : List.of("h:5", "::g", "h/x", "[::1]")) {
            corpus.add(new String[] {
                "POST", "/control/v1/safekeeper/9", valid.replace("\"host\": \"h\"", "\"host\": \"" + host + "\"")
            });
        }
        corpus.add(new String[] {"POST", "/control/v1/safekeeper/9", valid.replace(", \"region_id\": \"r\"", "")});
        corpus.add(new String[] {"POST", "/control/v1/safekeeper/9", valid.replace("\"z\"", "\"\"")});
        corpus.add(new String[] {"POST", "/control/v1/safekeeper/9", valid.replace("}", ", \"https_port\": -4}")});
        corpus.add(
                new String[] {"POST", "/control/v1/safekeeper/9/scheduling_policy", "{\"scheduling_policy\": \"Off\"}"
                });
        corpus.add(
                new String[] {"POST", "/control/v1/safekeeper/9/scheduling_policy", "{\"scheduling_policy\": null}"});
        corpus.add(new String[] {"GET", "/control/v1/safekeeper/nine", null});
        for (String[] request : corpus) {
            Answer answer = send(request[0], request[1], request[2]);
            String shown = request[0] + " " + request[1] + " "
                    + (request[2] == null ? "" : request[2].substring(0, Math.min(80, request[2].length())));
            if (answer.status() == -1 && request[2] != null && request[2].length() > 1_000_000) {
                continue; // the 400 may arrive after the client saw the connection close mid-body
            }
            assertThat(answer.status()).as(shown + " -> " + answer.body()).isEqualTo(400);
            assertThat(answer.msg()).as(shown).isNotBlank();
        }
        // Nothing was registered; an unknown node is a 404.
        assertThat(send("GET", "/control/v1/safekeeper/9", null).status()).isEqualTo(404);
        assertThat(send("GET", "/control/v1/safekeeper/8", null).status()).isEqualTo(404);
        Answer unknownPolicy =
                send("POST", "/control/v1/safekeeper/9/scheduling_policy", "{\"scheduling_policy\": \"Pause\"}");
        assertThat(unknownPolicy.status()).isEqualTo(404);
        assertThat(unknownPolicy.msg()).contains("WAL node 9");

        // Last: over the 1 MiB limit the server may close the connection before the client sent it all.
        for (String path : List.of("/control/v1/safekeeper/9", "/control/v1/safekeeper/9/scheduling_policy")) {
            Answer huge = send("POST", path, "x".repeat(2_000_000));
            assertThat(huge.status()).as(huge.body()).isIn(-1, 400);
        }
    }

    private static Answer register(int id, String host, int port, int httpPort, String zone) {
        return send("POST", "/control/v1/safekeeper/" + id, """
                {"id": %d, "region_id": "eu-local", "version": 7, "host": "%s", "port": %d, "http_port": %d,
                 "availability_zone_id": "%s"}""".formatted(id, host, port, httpPort, zone));
    }

    private static Answer setPolicy(int id, String policy) {
        Answer answer = send(
                "POST",
                "/control/v1/safekeeper/" + id + "/scheduling_policy",
                "{\"scheduling_policy\": \"" + policy + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer;
    }

    private static Answer createTimeline(String timeline) {
        return send("POST", "/v1/tenant/" + TENANT + "/timeline", "{\"new_timeline_id\": \"" + timeline + "\"}");
    }

    private static Answer createBranch(String timeline) {
        return send(
                "POST",
                "/v1/tenant/" + TENANT + "/timeline",
                "{\"new_timeline_id\": \"" + timeline + "\", \"ancestor_timeline_id\": \"" + TIMELINE_1 + "\"}");
    }

    private static Answer walNodeTimeline(int id, String timeline) {
        return exchange(
                "GET", "http://127.0.0.1:" + walHttpPorts[id] + "/v1/tenant/" + TENANT + "/timeline/" + timeline, null);
    }

    private static List<Long> setOf(JsonNode safekeepers) {
        List<Long> ids = new ArrayList<>();
        safekeepers.get("safekeepers").forEach(sk -> ids.add(sk.get("id").asLong()));
        return ids;
    }

    private static String storageBase() {
        return "http://127.0.0.1:" + storageHttpPort;
    }

    private static void startController() {
        controller = ControllerApplication.start(
                "--dev",
                "--listen",
                "127.0.0.1:" + controllerPort,
                "--dev-data-dir",
                dir.resolve("db").toString(),
                "--safekeeper-jwt-token",
                TOKEN);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (send("GET", "/ready", null).status() == 200) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("controller not ready within 30 s");
    }

    private static Answer send(String method, String path, String body) {
        return exchange(method, "http://127.0.0.1:" + controllerPort + path, body);
    }

    private static Answer exchange(String method, String url, String body) {
        return TestHttp.exchange(method, url, body);
    }
}
