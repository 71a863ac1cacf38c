package io.xenondb.cli.command;

import io.xenondb.cli.local.Endpoint;
import io.xenondb.cli.local.LocalConfig;
import io.xenondb.cli.local.Ports;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts an endpoint as neon_local does: finds where its tenant is attached (the controller), writes the compute
 * spec, spawns compute_ctl, and polls its {@code /status} until {@code Running}.
 */
final class ComputeStarter {
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** compute_ctl waits up to 90 s for PostgreSQL when the WAL nodes are away. */
    static final Duration STOP_GRACE = Duration.ofSeconds(100);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MAIN_CLASS = "io.xenondb.compute.ctl.ComputeCtl";

    private final LocalCommand command;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    ComputeStarter(LocalCommand command) {
        this.command = command;
    }

    void start(Endpoint endpoint) {
        Path repo = command.repo();
        var process = endpoint.process(repo);
        if (process.running().isPresent()) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "endpoint " + endpoint.name() + " is running already, pid "
                            + process.running().get().pid() + " (stop it first: 'xenon endpoint stop " + endpoint.name()
                            + "')");
        }
        if (!endpoint.isStatic()) {
            // One primary per timeline: a second would take over the WAL nodes and fence the first.
            for (Endpoint other : Endpoint.all(repo)) {
                if (!other.name().equals(endpoint.name())
                        && !other.isStatic()
                        && other.timelineId().equals(endpoint.timelineId())
                        && other.process(repo).running().isPresent()) {
                    throw new XenonException(
                            ErrorCode.CONFLICT,
                            "endpoint " + other.name() + " is running as the primary of timeline "
                                    + endpoint.timelineId() + " (branch " + endpoint.branch() + "): stop it first, or"
                                    + " use a read-only endpoint (--lsn) or another branch");
                }
            }
        }
        for (int port : new int[] {endpoint.pgPort(), endpoint.httpPort()}) {
            if (!Ports.isFree(port)) {
                throw new XenonException(
                        ErrorCode.CONFLICT,
                        "endpoint " + endpoint.name() + ": port " + port + " is in use by another program");
            }
        }
        LocalConfig config = command.config();
        Path dir = Endpoint.dir(repo, endpoint.name());
        Path specFile = dir.resolve("spec.json");
        write(specFile, spec(config, endpoint, dir));
        command.out()
                .printf(
                        "Starting new endpoint %s (PostgreSQL v17) on timeline %s ...%n",
                        endpoint.name(), endpoint.timelineId());
        command.out().flush();
        process.start(
                MAIN_CLASS,
                List.of(
                        "--pgdata",
                        dir.resolve("pgdata").toString(),
                        "--config",
                        specFile.toString(),
                        "--http-port",
                        Integer.toString(endpoint.httpPort())));
        awaitRunning(endpoint, process);
        command.out()
                .printf("Starting postgres at 'postgresql://cloud_admin@127.0.0.1:%d/postgres'%n", endpoint.pgPort());
        command.out().flush();
    }

    private Map<String, Object> spec(LocalConfig config, Endpoint endpoint, Path dir) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("tenant_id", endpoint.tenantId());
        spec.put("timeline_id", endpoint.timelineId());
        spec.put("mode", endpoint.isStatic() ? Map.of("Static", endpoint.lsn()) : "Primary");
        if (!endpoint.isStatic()) {
            LocalConfig.WalSet set = config.walSet(TimelineId.parse(endpoint.timelineId()));
            List<String> connstrings = new ArrayList<>();
            for (int id : set.ids()) {
                LocalConfig.WalNode node = config.walNodes().stream()
                        .filter(n -> n.id() == id)
                        .findFirst()
                        .orElseThrow(() -> new XenonException(
                                ErrorCode.NOT_FOUND, "safekeeper " + id + " of the timeline is not in this system"));
                connstrings.add(id + "@127.0.0.1:" + node.grpcPort());
            }
            spec.put("safekeeper_connstrings", connstrings);
            spec.put("safekeepers_generation", set.generation());
        }
        spec.put("pageserver_connstring", pageService(TenantId.parse(endpoint.tenantId())));
        spec.put("pg_port", endpoint.pgPort());
        spec.put("suspend_timeout_seconds", endpoint.suspendTimeoutSeconds());
        spec.put("image_cache", dir.resolve("image-cache").toString());
        return spec;
    }

    /** The gRPC page service of the storage node the controller attached the tenant to. */
    private String pageService(TenantId tenant) {
        JsonNode shard = command.controller()
                .get("/control/v1/tenant/" + tenant)
                .path("shards")
                .path(0);
        if (!shard.path("node_attached").canConvertToLong()) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, "tenant " + tenant + " is not attached to any pageserver yet");
        }
        JsonNode node = command.controller()
                .get("/control/v1/node/" + shard.path("node_attached").asLong());
        return node.path("listen_grpc_addr").asString() + ":"
                + node.path("listen_grpc_port").asInt();
    }

    private void awaitRunning(Endpoint endpoint, io.xenondb.cli.local.LocalProcess process) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        URI status = URI.create("http://127.0.0.1:" + endpoint.httpPort() + "/status");
        try (var task = command.progress().task("waiting for endpoint " + endpoint.name())) {
            while (true) {
                JsonNode answer = status(status);
                String state = answer == null ? "" : answer.path("status").asString("");
                if (state.equals("Running")) {
                    return;
                }
                if (state.equals("Failed")) {
                    process.stop(false, STOP_GRACE);
                    throw new XenonException(
                            ErrorCode.UNAVAILABLE,
                            "endpoint " + endpoint.name() + " failed to start: "
                                    + answer.path("error").asString(""));
                }
                if (process.running().isEmpty()) {
                    throw new XenonException(
                            ErrorCode.UNAVAILABLE,
                            "endpoint " + endpoint.name() + ": compute_ctl exited during its start; see "
                                    + process.log());
                }
                if (System.nanoTime() > deadline) {
                    process.stop(false, STOP_GRACE);
                    throw new XenonException(
                            ErrorCode.UNAVAILABLE,
                            "endpoint " + endpoint.name() + " did not start within " + START_TIMEOUT.toSeconds()
                                    + " s; see " + process.log());
                }
                task.tick();
                sleep();
            }
        }
    }

    private JsonNode status(URI uri) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException | JacksonException e) {
            return null; // not serving yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }

    private static void write(Path file, Map<String, Object> spec) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(spec), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "writing " + file + ": " + e.getMessage());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }
}
