package io.xenondb.storagenode.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.xenondb.compute.start.BasebackupFetcher;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.proto.pageapi.GetDbSizeRequest;
import io.xenondb.proto.pageapi.PageServiceGrpc;
import io.xenondb.proto.pageapi.ReadLsn;
import io.xenondb.shared.auth.Claims;
import io.xenondb.shared.auth.Jwt;
import io.xenondb.shared.auth.Scope;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.StorageNodeApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * JWT on the storage node (DESIGN.md §7, Neon's pageserver rule): the management API and the page service need a
 * token that verifies with the node's key — {@code pageserverapi} or {@code admin} for anything, {@code tenant} for
 * its own tenant only; {@code /v1/status}, {@code /metrics} and {@code /health} need none.
 */
@Tag("storage-node")
class AuthIT {
    private static final TenantId MINE = TenantId.generate();
    private static final TenantId OTHER = TenantId.generate();
    private static final TimelineId MAIN = TimelineId.generate();
    private static ConfigurableApplicationContext node;
    private static String base;
    private static ListenAddress grpc;
    private static PrivateKey key;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target/it/auth").toAbsolutePath();
        TestCluster.deleteQuietly(dir);
        Files.createDirectories(dir);
        Map<String, String> pem = Jwt.generatePem();
        key = Jwt.privateKey(pem.get("private"));
        Files.writeString(dir.resolve("auth_public_key.pem"), pem.get("public"));
        int httpPort = FreePorts.allocate();
        grpc = new ListenAddress("127.0.0.1", FreePorts.allocate());
        node = StorageNodeApplication.start(
                "--id",
                "9",
                "-D",
                dir.resolve("node").toString(),
                "--listen-http",
                "127.0.0.1:" + httpPort,
                "--listen-grpc",
                grpc.toString(),
                "--broker-endpoint",
                "http://127.0.0.1:" + FreePorts.allocate(),
                "--auth-public-key",
                dir.resolve("auth_public_key.pem").toString());
        base = "http://127.0.0.1:" + httpPort;
        String admin = token(Claims.of(Scope.PAGESERVER_API));
        for (TenantId tenant : new TenantId[] {MINE, OTHER}) {
            assertThat(send(
                                    "PUT",
                                    "/v1/tenant/" + tenant + "/location_config",
                                    admin,
                                    "{\"mode\": \"AttachedSingle\", \"generation\": 1}")
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(send("POST", "/v1/tenant/" + MINE + "/timeline", admin, "{\"new_timeline_id\": \"" + MAIN + "\"}")
                        .statusCode())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theManagementApiNeedsTheRightToken() throws Exception {
        expect("GET", "/v1/tenant", null, 401, "missing authorization");
        String foreign = Jwt.mint(Jwt.privateKey(Jwt.generatePem().get("private")), Claims.of(Scope.ADMIN));
        expect("GET", "/v1/tenant", foreign, 401, "does not verify");
        expect("GET", "/v1/tenant", token(Claims.tenant(MINE)), 403, "does not allow");
        expect("GET", "/v1/tenant/" + OTHER + "/timeline", token(Claims.tenant(MINE)), 403, "does not allow");
        expect("GET", "/v1/tenant", token(Claims.of(Scope.SAFEKEEPER_DATA)), 403, "does not allow");
        assertThat(send("GET", "/v1/tenant/" + MINE + "/timeline", token(Claims.tenant(MINE)), null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/v1/tenant", token(Claims.of(Scope.PAGESERVER_API)), null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/v1/tenant", token(Claims.of(Scope.ADMIN)), null)
                        .statusCode())
                .isEqualTo(200);
        for (String open : new String[] {"/v1/status", "/metrics", "/health"}) {
            assertThat(send("GET", open, null, null).statusCode()).as(open).isEqualTo(200);
        }
    }

    @Test
    void thePageServiceNeedsTheRightToken() {
        ManagedChannel channel = WalNodeChannels.open(grpc);
        try {
            assertThat(dbSizeStatus(channel, null, MINE)).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(dbSizeStatus(channel, token(Claims.tenant(OTHER)), MINE))
                    .isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(dbSizeStatus(channel, token(Claims.tenant(MINE)), MINE)).isEqualTo(Status.Code.OK);

            // A compute's base backup fetch carries its token; without one it is refused.
            assertThatThrownBy(() -> BasebackupFetcher.fetch(
                            channel,
                            TenantShardId.unsharded(MINE),
                            MAIN,
                            Lsn.INVALID,
                            Path.of("target/it/auth/no-token"),
                            Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
            Metadata auth = new Metadata();
            auth.put(
                    Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                    "Bearer " + token(Claims.tenant(MINE)));
            Lsn lsn = BasebackupFetcher.fetch(
                    io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(auth)),
                    TenantShardId.unsharded(MINE),
                    MAIN,
                    Lsn.INVALID,
                    Path.of("target/it/auth/with-token"),
                    Duration.ofSeconds(60));
            assertThat(lsn.isValid()).isTrue();
        } finally {
            WalNodeChannels.close(channel, Duration.ofSeconds(1));
        }
    }

    private static Status.Code dbSizeStatus(ManagedChannel channel, String token, TenantId tenant) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER), tenant.toString());
        headers.put(Metadata.Key.of("neon-timeline-id", Metadata.ASCII_STRING_MARSHALLER), MAIN.toString());
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        try {
            PageServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(2, java.util.concurrent.TimeUnit.MINUTES)
                    .getDbSize(GetDbSizeRequest.newBuilder()
                            .setReadLsn(ReadLsn.newBuilder()
                                    .setRequestLsn(100000000)
                                    .setNotModifiedSinceLsn(1))
                            .setDbOid(5)
                            .build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static String token(Claims claims) {
        return Jwt.mint(key, claims);
    }

    private static void expect(String method, String path, String token, int status, String inMessage)
            throws Exception {
        HttpResponse<String> response = send(method, path, token, null);
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(status);
        assertThat(response.body()).contains("\"msg\"").contains(inMessage);
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        // A client (and connection) per request, over HTTP/1.1: after refusals, a request on the JDK client's
        // pooled connection once hung for its whole timeout (curl over one kept-alive connection never did).
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
