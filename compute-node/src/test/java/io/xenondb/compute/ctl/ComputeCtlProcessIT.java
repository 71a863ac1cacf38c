package io.xenondb.compute.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * compute_ctl as a process without a cluster behind it: flags and spec errors, the API while Empty, a start that
 * fails (nothing listens where the spec points), 409 on a second configure, /terminate and SIGTERM.
 */
@Tag("compute-ctl")
class ComputeCtlProcessIT {
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final Path DIR = Path.of("target", "compute-ctl-process-it").toAbsolutePath();

    @BeforeAll
    static void cleanDirectory() throws IOException {
        FileTrees.deleteRecursively(DIR);
        Files.createDirectories(DIR);
    }

    /** A spec whose WAL nodes and storage node are ports nobody listens on. */
    private static String unreachableSpec() {
        return """
                {"tenant_id": "%s", "timeline_id": "%s", "mode": "Primary",
                 "safekeeper_connstrings": ["1@127.0.0.1:%d"], "pageserver_connstring": "127.0.0.1:%d",
                 "pg_port": %d}
                """.formatted(
                        TenantId.generate(),
                        TimelineId.generate(),
                        FreePorts.allocate(),
                        FreePorts.allocate(),
                        FreePorts.allocate());
    }

    @Test
    void aBadSpecFileExitsWith2NamingTheMistake() throws Exception {
        Path spec = DIR.resolve("bad-spec.json");
        Files.writeString(spec, unreachableSpec().replace("\"pg_port\"", "\"pgport\""));

        ComputeCtlProcess ctl = ComputeCtlProcess.start(
                DIR.resolve("bad-spec.log"),
                FreePorts.allocate(),
                "--pgdata",
                DIR.resolve("bad/pgdata").toString(),
                "--config",
                spec.toString());

        assertThat(ctl.awaitExit(EXIT)).isEqualTo(ComputeCtl.EXIT_USAGE);
        assertThat(ctl.log()).contains("compute_ctl: bad-spec.json: spec: unknown field 'pgport'");
    }

    @Test
    void aMissingSpecFileOrBadFlagExitsWith2() throws Exception {
        ComputeCtlProcess missing = ComputeCtlProcess.start(
                DIR.resolve("missing.log"),
                FreePorts.allocate(),
                "--pgdata",
                DIR.resolve("missing/pgdata").toString(),
                "--config",
                DIR.resolve("nowhere.json").toString());
        ComputeCtlProcess badFlag = ComputeCtlProcess.start(
                DIR.resolve("bad-flag.log"), FreePorts.allocate(), "--pgdata", "x", "--http-port", "-5");

        assertThat(missing.awaitExit(EXIT)).isEqualTo(ComputeCtl.EXIT_USAGE);
        assertThat(missing.log()).contains("--config: cannot read").contains("nowhere.json");
        assertThat(badFlag.awaitExit(EXIT)).isEqualTo(ComputeCtl.EXIT_USAGE);
        assertThat(badFlag.log()).contains("--http-port");
    }

    @Test
    void aTakenHttpPortExitsWith1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ComputeCtlProcess ctl = ComputeCtlProcess.start(
                    DIR.resolve("taken.log"),
                    taken.getLocalPort(),
                    "--pgdata",
                    DIR.resolve("taken/pgdata").toString(),
                    "--http-port",
                    Integer.toString(taken.getLocalPort()));

            assertThat(ctl.awaitExit(EXIT)).isEqualTo(ComputeCtl.EXIT_UNAVAILABLE);
            assertThat(ctl.log()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void withoutASpecItWaitsEmptyThenAFailedStartIsReportedAndTerminateEndsIt() throws Exception {
        Path pgdata = DIR.resolve("empty/pgdata");
        int port = FreePorts.allocate();
        try (ComputeCtlProcess ctl = ComputeCtlProcess.start(
                DIR.resolve("empty.log"), port, "--pgdata", pgdata.toString(), "--http-port", Integer.toString(port))) {
            JsonNode empty = ctl.awaitStatus("Empty", EXIT);
            assertThat(empty.get("last_active").isNull()).isTrue();
            assertThat(empty.get("tenant_id").isNull()).isTrue();
            assertThat(empty.get("start_time").asString()).isNotBlank();

            assertThat(ctl.get("/health").status()).isEqualTo(200);
            String metrics = ctl.get("/metrics").body();
            assertThat(metrics).contains("compute_ctl_up 1.0").contains("compute_ctl_state{state=\"Empty\"} 1.0");
            assertThat(metrics).contains("compute_ctl_state{state=\"Running\"} 0.0");

            ComputeCtlProcess.Answer noRoute = ctl.get("/nope");
            assertThat(noRoute.status()).isEqualTo(404);
            assertThat(noRoute.json().get("msg").asString()).contains("/nope");
            assertThat(ctl.get("/configure").status()).isEqualTo(405);
            ComputeCtlProcess.Answer malformed = ctl.post("/configure", "{\"spec\": ");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.json().get("msg").asString()).contains("malformed JSON");
            ComputeCtlProcess.Answer unknown = ctl.post("/configure", "{\"spec\": {\"tenant\": 1}}");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.json().get("msg").asString()).contains("unknown field 'tenant'");
            assertThat(ctl.post("/configure", "{}").json().get("msg").asString())
                    .contains("spec: missing");
            assertThat(ctl.get("/status").json().get("status").asString()).isEqualTo("Empty");

            String spec = unreachableSpec();
            ComputeCtlProcess.Answer configured = ctl.post("/configure", "{\"spec\": " + spec + "}");
            assertThat(configured.status()).as(configured.body()).isEqualTo(200);
            JsonNode failed = ctl.awaitStatus("Failed", EXIT);
            assertThat(failed.get("error").asString()).contains("storage node at 127.0.0.1:");
            assertThat(failed.get("mode").asString()).isEqualTo("Primary");

            ComputeCtlProcess.Answer again = ctl.post("/configure", "{\"spec\": " + spec + "}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("msg").asString()).contains("Failed");

            ComputeCtlProcess.Answer terminated = ctl.post("/terminate", null);
            assertThat(terminated.status()).isEqualTo(200);
            assertThat(terminated.json().get("status").asString()).isEqualTo("Terminated");
            assertThat(ctl.awaitExit(EXIT)).isZero();
            assertThat(new StateFile(pgdata).read())
                    .hasValueSatisfying(state -> assertThat(state.status()).isEqualTo(StateFile.Ending.Terminated));
        }
    }

    @Test
    void sigtermIsTerminate() throws Exception {
        Path pgdata = DIR.resolve("sigterm/pgdata");
        int port = FreePorts.allocate();
        try (ComputeCtlProcess ctl = ComputeCtlProcess.start(
                DIR.resolve("sigterm.log"),
                port,
                "--pgdata",
                pgdata.toString(),
                "--http-port",
                Integer.toString(port))) {
            ctl.awaitStatus("Empty", EXIT);

            ctl.terminateSignal();

            assertThat(ctl.awaitExit(EXIT)).isZero();
            assertThat(new StateFile(pgdata).read())
                    .hasValueSatisfying(state -> assertThat(state.status()).isEqualTo(StateFile.Ending.Terminated));
        }
    }
}
