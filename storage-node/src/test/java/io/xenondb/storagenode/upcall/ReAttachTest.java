package io.xenondb.storagenode.upcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Re-attach and validate against a small real HTTP server standing in for the storage controller. */
class ReAttachTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TENANT = "9ef87a5bf0d92544f6fafeeb3239695c";
    private static final ReAttach.Backoff FAST = new ReAttach.Backoff(Duration.ofMillis(20), Duration.ofMillis(100));

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Answers the first {@code failures} re-attach calls with 503, then {@code answer}. */
    private int controller(int port, int failures, int status, String answer) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/upcall/v1/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (calls.incrementAndGet() <= failures) {
                reply(exchange, 503, "{\"msg\": \"starting\"}");
            } else {
                reply(exchange, status, answer);
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static ControlPlaneClient client(int port) {
        return new ControlPlaneClient(
                URI.create("http://127.0.0.1:" + port + "/upcall/v1/"), Optional.of("t.o.k"), Duration.ofSeconds(5));
    }

    @Test
    void retriesUntilTheControllerAnswersAndReadsTheAnswer() throws Exception {
        int port = controller(0, 3, 200, """
                {"tenants": [{"id": "%s", "gen": 7, "mode": "AttachedSingle", "stripe_size": 2048,
                              "config": {"checkpoint_distance": 2097152}}]}""".formatted(TENANT));
        Map<String, Object> register = ReAttach.registration(
                4, ListenAddress.parse("127.0.0.1:9898"), ListenAddress.parse("127.0.0.1:51051"), "az-1");
        Map<TenantShardId, LocationConfig> answer;
        try (ReAttach reAttach = new ReAttach(client(port), 4, register, FAST)) {
            answer = reAttach.untilAnswered(true);
        }
        LocationConfig held = answer.get(TenantShardId.parse(TENANT));
        assertThat(answer).hasSize(1);
        assertThat(held.mode()).isEqualTo(LocationConfigMode.AttachedSingle);
        assertThat(held.generation()).isEqualTo(7);
        assertThat(held.shardStripeSize()).isEqualTo(2048);
        assertThat(held.tenantConf().checkpointDistance()).isEqualTo(2097152);
        assertThat(bodies).hasSize(4);
        assertThat(authorizations).containsOnly("Bearer t.o.k");
        JsonNode sent = JSON.readTree(bodies.get(3));
        assertThat(sent.get("node_id").asLong()).isEqualTo(4);
        assertThat(sent.get("empty_local_disk").asBoolean()).isTrue();
        assertThat(sent.get("register").get("listen_http_port").asInt()).isEqualTo(9898);
        assertThat(sent.get("register").get("listen_grpc_port").asInt()).isEqualTo(51051);
        assertThat(sent.get("register").get("availability_zone_id").asString()).isEqualTo("az-1");
    }

    @Test
    void waitsForAControllerThatIsNotListeningYet() throws Exception {
        int port = FreePorts.allocate();
        CompletableFuture<Map<TenantShardId, LocationConfig>> answer;
        try (ReAttach reAttach = new ReAttach(client(port), 1, null, FAST)) {
            answer = CompletableFuture.supplyAsync(() -> reAttach.untilAnswered(false));
            Thread.sleep(300);
            assertThat(answer).isNotDone();
            controller(port, 0, 200, "{\"tenants\": []}");
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEmpty();
        }
        assertThat(JSON.readTree(bodies.get(0)).has("register")).isFalse();
    }

    @Test
    void aRefusalOtherThanUnavailableEndsAtOnce() throws Exception {
        int port = controller(0, 1, 404, "{\"msg\": \"node 9: not registered\"}");
        try (ReAttach reAttach = new ReAttach(client(port), 9, null, FAST)) {
            assertThatThrownBy(() -> reAttach.untilAnswered(false))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining("node 9: not registered");
        }
        assertThat(bodies).hasSize(2);
    }

    @Test
    void anUnreadableAnswerIsATypedError() throws Exception {
        int port = controller(0, 0, 200, "{\"tenants\": [{\"id\": \"nope\", \"gen\": 1}]}");
        try (ReAttach reAttach = new ReAttach(client(port), 1, null, FAST)) {
            assertThatThrownBy(() -> reAttach.untilAnswered(false))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                    .hasMessageContaining("unreadable");
        }
    }

    @Test
    void closeAbandonsTheWait() throws Exception {
        int port = FreePorts.allocate();
        ReAttach reAttach = new ReAttach(
                client(port), 1, null, new ReAttach.Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        CompletableFuture<Map<TenantShardId, LocationConfig>> answer =
                CompletableFuture.supplyAsync(() -> reAttach.untilAnswered(false));
        Thread.sleep(200);
        reAttach.close();
        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).hasMessageContaining("abandoned");
    }

    @Test
    void validateAsksAboutOneGeneration() throws Exception {
        int port = controller(0, 0, 200, "{\"tenants\": [{\"id\": \"%s\", \"valid\": true}]}".formatted(TENANT));
        TenantShardId id = TenantShardId.parse(TENANT);
        assertThat(client(port).isCurrent(id, Generation.of(3))).isTrue();
        JsonNode sent = JSON.readTree(bodies.get(0)).get("tenants").get(0);
        assertThat(sent.get("id").asString()).isEqualTo(TENANT);
        assertThat(sent.get("gen").asLong()).isEqualTo(3);
        assertThat(client(port).isCurrent(id, Generation.NONE)).isFalse();
        assertThatThrownBy(() -> client(FreePorts.allocate()).isCurrent(id, Generation.of(3)))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
}
