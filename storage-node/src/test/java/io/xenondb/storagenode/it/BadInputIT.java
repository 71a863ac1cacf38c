package io.xenondb.storagenode.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.storagenode.StorageNodeApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 4, "bad input": unknown tenant or timeline → 404, malformed ids, LSNs and bodies → 400, an LSN beyond the
 * tip → a wait up to the timeout, then a clear error; always {@code {"msg": ...}}, never a 5xx.
 */
@Tag("storage-node")
class BadInputIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext node;
    private static HttpClient http;
    private static String base;
    private static final String TENANT = TenantId.generate().toString();
    private static final String MAIN = TimelineId.generate().toString();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target/it/bad-input").toAbsolutePath();
        TestCluster.deleteQuietly(dir);
        int httpPort = FreePorts.allocate();
        node = StorageNodeApplication.start(
                "--id",
                "7",
                "-D",
                dir.toString(),
                "--listen-http",
                "127.0.0.1:" + httpPort,
                "--listen-grpc",
                "127.0.0.1:" + FreePorts.allocate(),
                "--broker-endpoint",
                "http://127.0.0.1:" + FreePorts.allocate(),
                "--wait-lsn-timeout",
                "2s");
        base = "http://127.0.0.1:" + httpPort;
        http = HttpClient.newHttpClient();
        assertThat(send(
                                "PUT",
                                "/v1/tenant/" + TENANT + "/location_config",
                                "{\"mode\": \"AttachedSingle\", \"generation\": 1}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(
                                "POST",
                                "/v1/tenant/" + TENANT + "/timeline",
                                "{\"new_timeline_id\": \"" + MAIN + "\", \"pg_version\": 17}")
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
    void unknownThingsAre404() throws Exception {
        String unknownTenant = TenantId.generate().toString();
        expect("GET", "/v1/tenant/" + unknownTenant, null, 404, unknownTenant);
        expect("GET", "/v1/tenant/" + TENANT + "/timeline/" + TimelineId.generate(), null, 404, "not found");
        expect("DELETE", "/v1/tenant/" + TENANT + "/timeline/" + TimelineId.generate(), null, 404, "not found");
        expect(
                "POST",
                "/v1/tenant/" + TENANT + "/timeline",
                "{\"new_timeline_id\": \"" + TimelineId.generate() + "\", \"ancestor_timeline_id\": \""
                        + TimelineId.generate() + "\"}",
                404,
                "ancestor");
        expect("GET", "/v1/no/such/route", null, 404, "no/such/route");
    }

    @Test
    void malformedInputIs400() throws Exception {
        expect("GET", "/v1/tenant/not-a-tenant", null, 400, "not-a-tenant");
        expect("GET", "/v1/tenant/" + TENANT + "/timeline/xyz", null, 400, "xyz");
        expect(
                "GET",
                "/v1/tenant/" + TENANT + "/timeline/" + MAIN + "/get_timestamp_of_lsn?lsn=0/ZZ",
                null,
                400,
                "0/ZZ");
        expect(
                "GET",
                "/v1/tenant/" + TENANT + "/timeline/" + MAIN + "/get_lsn_by_timestamp?timestamp=yesterday",
                null,
                400,
                "yesterday");
        expect("POST", "/v1/tenant/" + TENANT + "/timeline", "{\"new_timeline_id\": ", 400, "malformed JSON");
        expect(
                "POST",
                "/v1/tenant/" + TENANT + "/timeline",
                "{\"new_timeline_id\": \"" + TimelineId.generate() + "\", \"ancestor_timeline_id\": \"" + MAIN
                        + "\", \"ancestor_start_lsn\": \"1/XYZ\"}",
                400,
                "1/XYZ");
        expect(
                "POST",
                "/v1/tenant/" + TENANT + "/timeline",
                "{\"new_timeline_id\": \"" + TimelineId.generate() + "\", \"surprise\": 1}",
                400,
                "surprise");
        expect("POST", "/v1/tenant/" + TENANT + "/timeline", "", 400, "body: missing");
        expect("PUT", "/v1/tenant/" + TENANT + "/location_config", "{\"mode\": \"Sideways\"}", 400, "Sideways");
        expect("PUT", "/v1/tenant/" + TENANT + "/location_config", "{\"mode\": \"AttachedSingle\"}", 400, "generation");
        expect(
                "PUT",
                "/v1/tenant/" + TENANT + "/timeline/" + MAIN + "/do_gc",
                "{\"gc_horizon\": -1}",
                400,
                "gc_horizon");
        expect("POST", "/v1/tenant/" + TENANT + "/timeline/" + MAIN + "/lsn_lease", "{\"lsn\": \"nope\"}", 400, "nope");
    }

    @Test
    void anLsnBeyondTheTipWaitsThenFailsClearly() throws Exception {
        long started = System.nanoTime();
        expect(
                "POST",
                "/v1/tenant/" + TENANT + "/timeline",
                "{\"new_timeline_id\": \"" + TimelineId.generate() + "\", \"ancestor_timeline_id\": \"" + MAIN
                        + "\", \"ancestor_start_lsn\": \"FF/0\"}",
                503,
                "timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        // Below initdb's end: 406, as in Neon.
        expect(
                "POST",
                "/v1/tenant/" + TENANT + "/timeline",
                "{\"new_timeline_id\": \"" + TimelineId.generate() + "\", \"ancestor_timeline_id\": \"" + MAIN
                        + "\", \"ancestor_start_lsn\": \"0/10\"}",
                406,
                "below the oldest point");
    }

    private static void expect(String method, String path, String body, int status, String inMessage) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(status);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("msg").asString()).as(method + " " + path).contains(inMessage);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
