package io.xenondb.e2e.computectl;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.compute.ctl.ComputeCtlProcess;
import io.xenondb.compute.ctl.StateFile;
import io.xenondb.compute.start.Compute;
import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * compute_ctl as a process, as {@code xenon endpoint start} runs it: a spec file for a tenant's timeline on a real
 * broker, three WAL nodes and a storage node (shared by the tests); {@code /status} polled until Running; SQL on
 * {@code pg_port}; {@code /terminate}, kill -9 and suspend on idle, each followed by a start that sees every row.
 */
@Tag("compute-ctl")
class ComputeCtlIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration RUNNING = Duration.ofSeconds(90);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final Path DIR = Path.of("target", "compute-ctl-it").toAbsolutePath();

    private static LocalCluster cluster;
    private static final List<Path> pgdatas = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(DIR).start();
    }

    @AfterAll
    static void stopCluster() {
        // A failed test may leave a postmaster behind a killed compute_ctl: stop it by its pid file.
        for (Path pgdata : pgdatas) {
            if (Files.isRegularFile(pgdata.resolve("postmaster.pid"))) {
                try {
                    PostgresCluster.open(PostgresBinaries.bundled(), pgdata, Compute.SUPERUSER)
                            .close();
                } catch (RuntimeException e) {
                    // not a whole data directory
                }
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** An endpoint's directory, as the CLI lays it out: its pgdata, spec and log side by side. */
    private record Endpoint(Path dir, LocalCluster.TenantTimeline timeline, int pgPort) {
        Path pgdata() {
            return dir.resolve("pgdata");
        }

        Path spec() {
            return dir.resolve("spec.json");
        }

        StateFile stateFile() {
            return new StateFile(pgdata());
        }

        String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        }
    }

    private static Endpoint endpoint(String name, long suspendTimeoutSeconds) throws IOException {
        Endpoint endpoint = new Endpoint(DIR.resolve(name), cluster.createTenant(), FreePorts.allocate());
        pgdatas.add(endpoint.pgdata());
        writeSpec(endpoint, suspendTimeoutSeconds);
        return endpoint;
    }

    private static void writeSpec(Endpoint endpoint, long suspendTimeoutSeconds) throws IOException {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("tenant_id", endpoint.timeline().tenant().toString());
        spec.put("timeline_id", endpoint.timeline().timeline().toString());
        spec.put("mode", "Primary");
        spec.put(
                "safekeeper_connstrings",
                cluster.walNodes.stream().map(WalNodeEndpoint::toString).toList());
        spec.put("safekeepers_generation", 1);
        spec.put("pageserver_connstring", cluster.storageGrpc.toString());
        spec.put("pg_port", endpoint.pgPort());
        spec.put("suspend_timeout_seconds", suspendTimeoutSeconds);
        spec.put("settings", Map.of("shared_buffers", "16MB", "max_connections", "20"));
        spec.put("image_cache", endpoint.dir().resolve("image-cache").toString());
        Files.createDirectories(endpoint.dir());
        Files.writeString(endpoint.spec(), JSON.writeValueAsString(spec));
    }

    /** {@code compute_ctl --pgdata <pgdata> --config <spec> --http-port <port>}, as {@code xenon endpoint start}. */
    private static ComputeCtlProcess start(Endpoint endpoint, String logName) {
        int httpPort = FreePorts.allocate();
        return ComputeCtlProcess.start(
                endpoint.dir().resolve(logName + ".log"),
                httpPort,
                "--pgdata",
                endpoint.pgdata().toString(),
                "--config",
                endpoint.spec().toString(),
                "--http-port",
                Integer.toString(httpPort));
    }

    private static Connection connect(Endpoint endpoint) throws SQLException {
        return DriverManager.getConnection(endpoint.jdbcUrl(), Compute.SUPERUSER, "");
    }

    private static long count(Endpoint endpoint) throws SQLException {
        try (Connection c = connect(endpoint);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select count(*), coalesce(sum(v), 0) from t")) {
            rows.next();
            return rows.getLong(1) * 1_000_000 + rows.getLong(2);
        }
    }

    private static void insert(Endpoint endpoint, int from, int to) throws SQLException {
        try (Connection c = connect(endpoint);
                Statement s = c.createStatement()) {
            s.execute("create table if not exists t (v int)");
            s.execute("insert into t select g from generate_series(" + from + ", " + to + ") g");
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void runsThenTerminateAndKillMinus9EachLeaveTheDataForTheNextStart() throws Exception {
        Endpoint endpoint = endpoint("lifecycle", -1);
        long expected;
        try (ComputeCtlProcess ctl = start(endpoint, "first")) {
            JsonNode running = ctl.awaitStatus("Running", RUNNING);
            assertThat(running.get("pg_port").asInt()).isEqualTo(endpoint.pgPort());
            assertThat(running.get("tenant_id").asString())
                    .isEqualTo(endpoint.timeline().tenant().toString());
            assertThat(running.get("mode").asString()).isEqualTo("Primary");
            assertThat(running.get("lsn").asString()).matches("[0-9A-F]+/[0-9A-F]+");
            assertThat(Instant.parse(running.get("last_active").asString()))
                    .isAfterOrEqualTo(Instant.parse(running.get("start_time").asString()));

            insert(endpoint, 1, 1000);
            expected = count(endpoint);
            assertThat(expected).isEqualTo(1000L * 1_000_000 + 500_500);

            ComputeCtlProcess.Answer again =
                    ctl.post("/configure", "{\"spec\": " + Files.readString(endpoint.spec()) + "}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("msg").asString()).contains("Running");

            String metrics = ctl.get("/metrics").body();
            assertThat(metrics)
                    .contains("compute_ctl_up 1.0")
                    .contains("compute_ctl_state{state=\"Running\"} 1.0")
                    .contains("compute_last_active_seconds ")
                    .contains("xenon_walproposer_commit_lsn{tenant_id=\""
                            + endpoint.timeline().tenant());

            ComputeCtlProcess.Answer terminated = ctl.post("/terminate", null);
            assertThat(terminated.status()).isEqualTo(200);
            assertThat(ctl.awaitExit(EXIT)).isZero();
        }
        assertThat(listening(endpoint.pgPort()))
                .as("PostgreSQL stopped with compute_ctl")
                .isFalse();
        assertThat(endpoint.stateFile().read())
                .hasValueSatisfying(state -> assertThat(state.status()).isEqualTo(StateFile.Ending.Terminated));

        try (ComputeCtlProcess ctl = start(endpoint, "second")) {
            ctl.awaitStatus("Running", RUNNING);
            assertThat(endpoint.stateFile().read())
                    .as("a start forgets the last ending")
                    .isEmpty();
            assertThat(count(endpoint)).isEqualTo(expected);
            insert(endpoint, 1001, 1500);
            expected = count(endpoint);

            ctl.kill();
        }
        // Its postmaster outlives a kill -9; the next start on the same pgdata (and port) must stop it first.
        assertThat(listening(endpoint.pgPort())).as("the orphaned postmaster").isTrue();

        try (ComputeCtlProcess ctl = start(endpoint, "third")) {
            ctl.awaitStatus("Running", RUNNING);
            assertThat(count(endpoint)).isEqualTo(expected);
            assertThat(ctl.log()).contains("a previous compute_ctl left running");
            assertThat(ctl.post("/terminate", null).status()).isEqualTo(200);
            assertThat(ctl.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void anIdleComputeSuspendsItselfAnOpenConnectionKeepsItUpAndTheNextStartHasEveryRow() throws Exception {
        Endpoint endpoint = endpoint("suspend", 3);
        long expected;
        try (ComputeCtlProcess ctl = start(endpoint, "first")) {
            ctl.awaitStatus("Running", RUNNING);
            insert(endpoint, 1, 700);
            expected = count(endpoint);

            assertThat(ctl.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        assertThat(endpoint.stateFile().read()).hasValueSatisfying(state -> {
            assertThat(state.status()).isEqualTo(StateFile.Ending.Suspended);
            assertThat(state.at()).isBefore(Instant.now());
        });
        assertThat(listening(endpoint.pgPort())).isFalse();

        try (ComputeCtlProcess ctl = start(endpoint, "second")) {
            ctl.awaitStatus("Running", RUNNING);
            try (Connection open = connect(endpoint);
                    Statement s = open.createStatement()) {
                try (ResultSet rows = s.executeQuery("select count(*) from t")) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(700);
                }
                assertThat(count(endpoint)).isEqualTo(expected);
                Thread.sleep(6_000); // twice the suspend timeout, with an idle session open
                assertThat(ctl.isAlive()).isTrue();
                JsonNode status = ctl.get("/status").json();
                assertThat(status.get("status").asString()).isEqualTo("Running");
                assertThat(Instant.parse(status.get("last_active").asString()))
                        .isAfter(Instant.now().minusSeconds(3));
                s.execute("insert into t values (1)");
                expected = count(endpoint);
            }
            assertThat(ctl.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        assertThat(endpoint.stateFile().read())
                .hasValueSatisfying(state -> assertThat(state.status()).isEqualTo(StateFile.Ending.Suspended));

        writeSpec(endpoint, -1);
        try (ComputeCtlProcess ctl = start(endpoint, "third")) {
            ctl.awaitStatus("Running", RUNNING);
            assertThat(count(endpoint)).isEqualTo(expected);
            assertThat(ctl.post("/terminate", null).status()).isEqualTo(200);
            assertThat(ctl.awaitExit(EXIT)).isZero();
        }
    }
}
