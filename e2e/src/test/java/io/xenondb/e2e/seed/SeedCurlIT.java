package io.xenondb.e2e.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.compute.start.Compute;
import io.xenondb.e2e.computectl.LocalCluster;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.service.process.ServiceCommand;
import io.xenondb.service.process.ServiceProcess;
import io.xenondb.shared.auth.Claims;
import io.xenondb.shared.auth.Jwt;
import io.xenondb.shared.auth.Scope;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every storage-controller curl example of the seed (`shared/seeds/api-surface.md`: tenant, timeline, node,
 * location config, health and metrics), copied here verbatim and run by the real {@code curl} with a minted admin
 * token in {@code JWT_TOKEN}, against a controller with auth on, a real storage node, WAL nodes and a compute.
 * Only where the services listen is rewritten ({@code localhost:1234}, the node's {@code 127.0.0.1:64000} and
 * {@code 127.0.0.1:9898}). curl's own options come from a {@code .curlrc} (silent, and the status code after the
 * body), so the commands stay as the seed has them.
 */
@Tag("controller")
class SeedCurlIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TENANT = "9ef87a5bf0d92544f6fafeeb3239695c";
    private static final String MAIN = "de200bd42b49cc1814412c7e592dd6e9";
    private static final String BRANCH = "b3b863fa45fa9e57e615f9f2d944e601";
    private static final Lsn BRANCH_LSN = Lsn.parse("0/16F9A00");

    // The seed's commands, verbatim.
    private static final String CREATE_TENANT = """
            curl -X POST http://localhost:1234/v1/tenant \\
              -H "Authorization: Bearer ${JWT_TOKEN}" \\
              -H "Content-Type: application/json" \\
              -d '{
                "tenant_id": "9ef87a5bf0d92544f6fafeeb3239695c",
                "generation": 1,
                "config": {
                  "checkpoint_distance": 268435456,
                  "compaction_threshold": 10,
                  "gc_horizon": 67108864,
                  "pitr_interval": "7 days"
                },
                "placement_policy": {
                  "attached_shards": 2,
                  "secondary_shards": 1
                }
              }'
            """;
    private static final String LIST_TENANTS = """
            curl -X GET http://localhost:1234/control/v1/tenant \\
              -H "Authorization: Bearer ${JWT_TOKEN}"
            """;
    private static final String GET_TENANT = """
            curl -X GET http://localhost:1234/control/v1/tenant/9ef87a5bf0d92544f6fafeeb3239695c \\
              -H "Authorization: Bearer ${JWT_TOKEN}"
            """;
    private static final String DELETE_TENANT = """
            curl -X DELETE http://localhost:1234/v1/tenant/9ef87a5bf0d92544f6fafeeb3239695c \\
              -H "Authorization: Bearer ${JWT_TOKEN}"
            """;
    private static final String CREATE_BRANCH = """
            curl -X POST http://localhost:1234/v1/tenant/9ef87a5bf0d92544f6fafeeb3239695c/timeline \\
              -H "Authorization: Bearer ${JWT_TOKEN}" \\
              -H "Content-Type: application/json" \\
              -d '{
                "new_timeline_id": "b3b863fa45fa9e57e615f9f2d944e601",
                "ancestor_timeline_id": "de200bd42b49cc1814412c7e592dd6e9",
                "ancestor_start_lsn": "0/16F9A00"
              }'
            """;
    private static final String LIST_TIMELINES = """
            curl -X GET http://localhost:1234/v1/tenant/9ef87a5bf0d92544f6fafeeb3239695c/timeline \\
              -H "Authorization: Bearer ${JWT_TOKEN}"
            """;
    private static final String DELETE_TIMELINE = """
            curl -X DELETE http://localhost:1234/v1/tenant/9ef87a5bf0d92544f6fafeeb3239695c/timeline/b3b863fa45fa9e57e615f9f2d944e601 \\
              -H "Authorization: Bearer ${JWT_TOKEN}"
            """;
    private static final String REGISTER_NODE = """
            curl -X POST http://localhost:1234/control/v1/node \\
              -H "Authorization: Bearer ${JWT_TOKEN}" \\
              -H "Content-Type: application/json" \\
              -d '{
                "node_id": 1,
                "listen_pg_addr": "127.0.0.1:64000",
                "listen_http_addr": "127.0.0.1:9898",
                "scheduling": "Active",
                "availability_zone": "us-east-1a"
              }'
            """;
    private static final String LIST_NODES = """
            curl -X GET http://localhost:1234/control/v1/node \\
              -H "Authorization: Bearer ${JWT_TOKEN}"
            """;
    private static final String NODE_CONFIG = """
            curl -X PUT http://localhost:1234/control/v1/node/1/config \\
              -H "Authorization: Bearer ${JWT_TOKEN}" \\
              -H "Content-Type: application/json" \\
              -d '{
                "scheduling": "Draining",
                "availability": "Offline"
              }'
            """;
    private static final String PUT_LOCATION = """
            curl -X PUT http://localhost:1234/v1/tenant/9ef87a5bf0d92544f6fafeeb3239695c/location_config \\
              -H "Authorization: Bearer ${JWT_TOKEN}" \\
              -H "Content-Type: application/json" \\
              -d '{
                "mode": "AttachedSingle",
                "generation": 2,
                "tenant_conf": {
                  "checkpoint_distance": 268435456,
                  "compaction_threshold": 10,
                  "gc_horizon": 67108864
                },
                "secondary_conf": null
              }'
            """;
    private static final String GET_LOCATION = """
            curl -X GET http://localhost:1234/v1/location_config/9ef87a5bf0d92544f6fafeeb3239695c \\
              -H "Authorization: Bearer ${JWT_TOKEN}"
            """;
    private static final String LIVE = "curl http://localhost:1234/live\n";
    private static final String READY = "curl http://localhost:1234/ready\n";
    private static final String STATUS = "curl http://localhost:1234/status\n";
    private static final String METRICS = "curl http://localhost:1234/metrics\n";

    private static Path dir;
    private static LocalCluster cluster;
    private static ServiceProcess controller;
    private static int controllerPort;
    private static String token;

    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        dir = Path.of("target", "seed-curl").toAbsolutePath();
        cluster = new LocalCluster(dir.resolve("cluster")).start();
        Map<String, String> keys = Jwt.generatePem();
        Path publicKey = dir.resolve("auth_public_key.pem");
        Files.writeString(publicKey, keys.get("public"));
        token = Jwt.mint(Jwt.privateKey(keys.get("private")), Claims.of(Scope.ADMIN));
        Files.createDirectories(dir.resolve("curl"));
        Files.writeString(
                dir.resolve("curl").resolve(".curlrc"), "silent\nshow-error\nwrite-out = \"\\n%{http_code}\"\n");
        controllerPort = FreePorts.allocate();
        controller = ServiceCommand.devController(
                        new ListenAddress("127.0.0.1", controllerPort), dir.resolve("controller-db"))
                // Unlimited requests per tenant: the examples follow each other faster than the default 10/s.
                .with("--public-key", publicKey.toString(), "--heartbeat-interval", "1h", "--tenant-rate-limit", "0")
                .process("storage-controller", dir.resolve("controller.log"))
                .start()
                .awaitPort("127.0.0.1", controllerPort, Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() throws IOException {
        if (controller != null) {
            controller.stop(Duration.ofSeconds(30));
        }
        if (cluster != null) {
            cluster.close();
        }
        FileTrees.deleteRecursively(dir.resolve("controller-db"));
    }

    @Test
    void theSeedsStorageControllerExamples() throws Exception {
        // Auth is on: the same route without the token is refused.
        Answer anonymous = run("curl -X GET http://localhost:1234/control/v1/node\n");
        assertThat(anonymous.status()).isEqualTo(401);

        // Node management: register, list.
        Answer registered = run(REGISTER_NODE);
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.json().path("id").asLong()).isEqualTo(1);
        assertThat(registered.json().path("availability_zone_id").asString()).isEqualTo("us-east-1a");
        Answer nodes = run(LIST_NODES);
        assertThat(nodes.status()).isEqualTo(200);
        assertThat(nodes.json().get(0).path("id").asLong()).isEqualTo(1);
        assertThat(nodes.json().get(0).path("availability").asString()).isEqualTo("Active");

        // Tenant create: the seed's body asks for two shards, which get the clear refusal until sharding lands;
        // the same body with one attached shard is created.
        Answer sharded = run(CREATE_TENANT);
        assertThat(sharded.status()).isEqualTo(400);
        assertThat(sharded.json().path("msg").asString()).contains("sharded tenants are not supported yet");
        Answer created = run(CREATE_TENANT.replace("\"attached_shards\": 2", "\"attached_shards\": 1"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("tenant_id").asString()).isEqualTo(TENANT);
        assertThat(created.json().path("shards").get(0).path("node_id").asLong())
                .isEqualTo(1);
        assertThat(created.json().path("shards").get(0).path("generation").asLong())
                .isEqualTo(1);
        Answer tenants = run(LIST_TENANTS);
        assertThat(tenants.status()).isEqualTo(200);
        assertThat(tenants.json().get(0).path("tenant_id").asString()).isEqualTo(TENANT);
        Answer tenant = run(GET_TENANT);
        assertThat(tenant.status()).isEqualTo(200);
        assertThat(tenant.json().path("shards").get(0).path("node_attached").asLong())
                .isEqualTo(1);
        assertThat(tenant.json().path("config").path("pitr_interval").asString())
                .isEqualTo("7 days");

        // The branch example needs its ancestor with WAL beyond 0/16F9A00: bootstrap it, and write with a compute.
        Answer bootstrap = run("""
                curl -X POST http://localhost:1234/v1/tenant/9ef87a5bf0d92544f6fafeeb3239695c/timeline \\
                  -H "Authorization: Bearer ${JWT_TOKEN}" -H "Content-Type: application/json" \\
                  -d '{"new_timeline_id": "de200bd42b49cc1814412c7e592dd6e9", "pg_version": 17}'
                """);
        assertThat(bootstrap.status()).isEqualTo(201);
        writePast(BRANCH_LSN);

        Answer branch = run(CREATE_BRANCH);
        assertThat(branch.status()).as(branch.body()).isEqualTo(201);
        JsonNode info = branch.json();
        assertThat(info.path("timeline_id").asString()).isEqualTo(BRANCH);
        assertThat(info.path("state").asString()).isEqualTo("Active");
        assertThat(info.has("current_logical_size")).isTrue();
        Lsn branchedAt = Lsn.parse(info.path("last_record_lsn").asString());
        assertThat(branchedAt.compareTo(BRANCH_LSN)).isLessThanOrEqualTo(0); // snapped to a record boundary
        Answer timelines = run(LIST_TIMELINES);
        assertThat(timelines.status()).isEqualTo(200);
        assertThat(timelines.json().valueStream().map(t -> t.path("timeline_id").asString()))
                .containsExactlyInAnyOrder(MAIN, BRANCH);
        Answer deletedTimeline = run(DELETE_TIMELINE);
        assertThat(deletedTimeline.status()).isEqualTo(200);
        assertThat(run(LIST_TIMELINES)
                        .json()
                        .valueStream()
                        .map(t -> t.path("timeline_id").asString()))
                .containsExactly(MAIN);

        // Location configuration: an explicit attach in generation 2, held so by the node.
        Answer located = run(PUT_LOCATION);
        assertThat(located.status()).as(located.body()).isEqualTo(200);
        assertThat(located.json().path("shards").get(0).path("shard_id").asString())
                .isEqualTo(TENANT);
        assertThat(located.json().path("shards").get(0).path("node_id").asLong())
                .isEqualTo(1);
        assertThat(located.json().has("stripe_size")).isTrue();
        Answer location = run(GET_LOCATION);
        assertThat(location.status()).isEqualTo(200);
        assertThat(location.json().path("mode").asString()).isEqualTo("AttachedSingle");
        assertThat(location.json().path("generation").asLong()).isEqualTo(2);
        assertThat(run(GET_TENANT)
                        .json()
                        .path("shards")
                        .get(0)
                        .path("generation")
                        .asLong())
                .isEqualTo(2);

        // Health and metrics (open routes).
        assertThat(run(LIVE).status()).isEqualTo(200);
        assertThat(run(READY).status()).isEqualTo(200);
        JsonNode status = run(STATUS).json();
        assertThat(status.path("version").isString()).isTrue();
        assertThat(status.path("uptime_seconds").isIntegralNumber()).isTrue();
        assertThat(status.has("reconciler_tasks_active")).isTrue();
        assertThat(status.has("reconciler_tasks_queued")).isTrue();
        String metrics = run(METRICS).body();
        assertThat(metrics)
                .containsPattern("storage_controller_reconcile_complete_total\\{result=\"ok\"\\} [1-9]")
                .contains("storage_controller_reconcile_complete_total{result=\"error\"}")
                .containsPattern("storage_controller_tenant_slots\\{scheduling=\"active\"\\} 1")
                .containsPattern("storage_controller_pageserver_nodes \\S*1");

        // Tenant delete, then the node's drain.
        Answer deleted = run(DELETE_TENANT);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(run(GET_TENANT).status()).isEqualTo(404);
        Answer drained = run(NODE_CONFIG);
        assertThat(drained.status()).as(drained.body()).isEqualTo(200);
        JsonNode node = run(LIST_NODES).json().get(0);
        assertThat(node.path("scheduling").asString()).isEqualTo("Draining");
    }

    /** A primary on the main timeline writes until its WAL passes {@code lsn}, then stops. */
    private static void writePast(Lsn lsn) throws Exception {
        Compute compute = Compute.start(
                PostgresBinaries.bundled(),
                new Compute.Spec(
                        TenantShardId.unsharded(TenantId.parse(TENANT)),
                        TimelineId.parse(MAIN),
                        Compute.Mode.PRIMARY,
                        Lsn.INVALID,
                        cluster.walNodes,
                        cluster.storageGrpc,
                        FreePorts.allocate(),
                        dir.resolve("compute"),
                        Map.of("shared_buffers", "16MB", "max_connections", "20"),
                        Duration.ofMinutes(2),
                        null,
                        null));
        try (compute;
                Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + compute.spec().port() + "/postgres", "cloud_admin", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int, filler text)");
            while (true) {
                s.execute("INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g");
                try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()")) {
                    rs.next();
                    if (Lsn.parse(rs.getString(1)).compareTo(lsn) > 0) {
                        break;
                    }
                }
            }
        }
    }

    /** Runs a seed command with bash and the real curl; the answer's status (from .curlrc) and body. */
    private static Answer run(String command) throws IOException, InterruptedException {
        String local = command.replace("localhost:1234", "127.0.0.1:" + controllerPort)
                .replace("127.0.0.1:64000", cluster.storageGrpc.toString())
                .replace("127.0.0.1:9898", cluster.storageHttp.toString());
        Path out = dir.resolve("curl").resolve("out");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", local)
                .redirectOutput(out.toFile())
                .redirectErrorStream(true);
        builder.environment().put("JWT_TOKEN", token);
        builder.environment().put("CURL_HOME", dir.resolve("curl").toString());
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("curl finished").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        int newline = text.lastIndexOf('\n');
        assertThat(process.exitValue()).as("curl exit; output: %s", text).isZero();
        return new Answer(Integer.parseInt(text.substring(newline + 1).strip()), text.substring(0, newline));
    }
}
