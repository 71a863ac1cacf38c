package io.xenondb.shared.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.id.TimelineId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a stand-in HTTP server answering as a WAL node would (the node itself is tested with this
 * client in wal-node's WalNodeIT): request lines and bodies sent, answers decoded, errors typed by status.
 */
class WalNodeClientTest {
    private static final TenantTimelineId TIMELINE = new TenantTimelineId(
            TenantId.parse("9ef87a5bf0d92544f6fafeeb3239695c"), TimelineId.parse("0123456789abcdef0123456789abcdef"));

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private WalNodeClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path + (body.isEmpty() ? "" : " " + body));
            int status;
            String answer;
            if (path.equals("/v1/status")) {
                status = 200;
                answer = "{\"id\":3}";
            } else if (path.endsWith("/term_bump")) {
                status = 200;
                answer = "{\"previous_term\":4,\"current_term\":9}";
            } else if (path.equals("/v1/tenant/" + TIMELINE.tenantId())) {
                status = 200;
                answer = "{\"" + TIMELINE.timelineId() + "\":{\"dir_existed\":true}}";
            } else if (path.startsWith("/v1/tenant/bad")) {
                status = 502;
                answer = "<html>proxy error</html>";
            } else {
                status = 404;
                answer = "{\"msg\":\"timeline " + TIMELINE + " is not on WAL node 3\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        client = new WalNodeClient(
                new ListenAddress("127.0.0.1", server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void callsTheRoutesAndDecodesTheAnswers() {
        assertThat(client.status().id()).isEqualTo(NodeId.of(3));
        assertThat(client.bumpTimelineTerm(TIMELINE, Optional.of(Term.of(9))).currentTerm())
                .isEqualTo(Term.of(9));
        assertThat(client.bumpTimelineTerm(TIMELINE).previousTerm()).isEqualTo(Term.of(4));
        assertThat(client.deleteTenant(TIMELINE.tenantId()))
                .containsOnlyKeys(TIMELINE.timelineId())
                .allSatisfy((id, result) -> assertThat(result.dirExisted()).isTrue());

        String timelinePath = "/v1/tenant/" + TIMELINE.tenantId() + "/timeline/" + TIMELINE.timelineId();
        assertThat(requests)
                .containsExactly(
                        "GET /v1/status",
                        "POST " + timelinePath + "/term_bump {\"term\":9}",
                        "POST " + timelinePath + "/term_bump {}",
                        "DELETE /v1/tenant/" + TIMELINE.tenantId());
    }

    @Test
    void errorsCarryTheNodesMessageAndACodeByStatus() throws IOException {
        assertThatThrownBy(() -> client.timelineStatus(TIMELINE))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("timeline " + TIMELINE + " is not on WAL node 3");
        assertThatThrownBy(() -> client.deleteTenant(TenantId.parse("bad00000000000000000000000000000")))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("HTTP 502: <html>proxy error</html>");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (WalNodeClient unreachable = new WalNodeClient(new ListenAddress("127.0.0.1", closedPort))) {
            assertThatThrownBy(unreachable::status)
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("did not answer GET /v1/status");
        }
    }
}
