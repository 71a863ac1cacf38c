package io.xenondb.compute.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.compute.start.Compute;
import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.shared.error.ErrorCategory;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("compute-ctl")
class SpecReaderTest {
    private static final String TENANT = "1f359dd625e519a1a4e8d7509690f6fc";
    private static final String TIMELINE = "de200bd42b49cc1814412c7e592dd6e9";

    private static String spec(String mode, String extra) {
        return """
                {"tenant_id": "%s", "timeline_id": "%s", "mode": %s,
                 "safekeeper_connstrings": ["1@127.0.0.1:5454", "2@127.0.0.1:5455", "3@localhost:5456"],
                 "safekeepers_generation": 1, "pageserver_connstring": "127.0.0.1:51051", "pg_port": 55432%s}
                """.formatted(TENANT, TIMELINE, mode, extra);
    }

    @Test
    void readsAPrimarySpecWithEveryField() {
        ComputeSpec spec = SpecReader.parse(spec(
                "\"Primary\"",
                ", \"suspend_timeout_seconds\": 300, \"storage_auth_token\": \"eyJ.x.y\","
                        + " \"settings\": {\"shared_buffers\": \"16MB\", \"max_connections\": 20, \"fsync\": true},"
                        + " \"image_cache\": \"/tmp/ep/image-cache\""));

        assertThat(spec.tenantId()).isEqualTo(TenantId.parse(TENANT));
        assertThat(spec.timelineId()).isEqualTo(TimelineId.parse(TIMELINE));
        assertThat(spec.mode()).isEqualTo(new ComputeMode.Primary());
        assertThat(spec.safekeepers())
                .containsExactly(
                        WalNodeEndpoint.of(1, "127.0.0.1", 5454),
                        WalNodeEndpoint.of(2, "127.0.0.1", 5455),
                        WalNodeEndpoint.of(3, "localhost", 5456));
        assertThat(spec.safekeepersGeneration()).isEqualTo(1);
        assertThat(spec.pageserver().port()).isEqualTo(51051);
        assertThat(spec.pgPort()).isEqualTo(55432);
        assertThat(spec.suspendTimeout()).contains(Duration.ofSeconds(300));
        assertThat(spec.storageAuthToken()).isEqualTo("eyJ.x.y");
        assertThat(spec.settings())
                .isEqualTo(Map.of("shared_buffers", "16MB", "max_connections", "20", "fsync", "true"));
        assertThat(spec.imageCache()).isEqualTo(Path.of("/tmp/ep/image-cache"));

        Compute.Spec start = spec.toComputeSpec(Path.of("/tmp/ep/pgdata"), Duration.ofSeconds(9));
        assertThat(start.mode()).isEqualTo(Compute.Mode.PRIMARY);
        assertThat(start.port()).isEqualTo(55432);
        assertThat(start.storageToken()).isEqualTo("eyJ.x.y");
        assertThat(start.imageCache()).isEqualTo(Path.of("/tmp/ep/image-cache"));
    }

    @Test
    void optionalFieldsHaveTheirDefaults() {
        ComputeSpec spec = SpecReader.parse(spec("\"Primary\"", ", \"storage_auth_token\": null"));

        assertThat(spec.suspendTimeout()).isEmpty();
        assertThat(spec.suspendTimeoutSeconds()).isEqualTo(-1);
        assertThat(spec.storageAuthToken()).isNull();
        assertThat(spec.settings()).isEmpty();
        assertThat(spec.imageCache()).isNull();
        assertThat(SpecReader.parse(spec("\"Primary\"", ", \"suspend_timeout_seconds\": -1"))
                        .suspendTimeout())
                .isEmpty();
    }

    @Test
    void readsAStaticSpecInNeonsShape() {
        ComputeSpec spec = SpecReader.parse(spec("{\"Static\": \"0/16B5A50\"}", ""));

        assertThat(spec.mode()).isEqualTo(new ComputeMode.Static(Lsn.parse("0/16B5A50")));
        assertThat(spec.mode().computeMode()).isEqualTo(Compute.Mode.STATIC);
        assertThat(spec.toComputeSpec(Path.of("/tmp/d"), Duration.ofSeconds(1)).lsn())
                .isEqualTo(Lsn.parse("0/16B5A50"));
        assertThat(spec.toJson().get("mode")).isEqualTo(Map.of("Static", "0/16B5A50"));
    }

    @Test
    void toJsonReadsBackAsTheSameSpec() {
        Random random = new Random(6);
        for (int i = 0; i < 50; i++) {
            ComputeMode mode = random.nextBoolean()
                    ? new ComputeMode.Primary()
                    : new ComputeMode.Static(new Lsn(1 + (random.nextLong() >>> 1)));
            ComputeSpec spec = new ComputeSpec(
                    TenantId.generate(),
                    TimelineId.generate(),
                    mode,
                    List.of(WalNodeEndpoint.of(1 + random.nextInt(9), "127.0.0.1", 1 + random.nextInt(65535))),
                    random.nextInt(100),
                    new io.xenondb.shared.cli.ListenAddress("localhost", 1 + random.nextInt(65535)),
                    1 + random.nextInt(65535),
                    random.nextBoolean()
                            ? java.util.Optional.empty()
                            : java.util.Optional.of(Duration.ofSeconds(1 + random.nextInt(10_000))),
                    random.nextBoolean() ? null : "token-" + random.nextInt(),
                    random.nextBoolean() ? Map.of() : Map.of("work_mem", random.nextInt(100) + "MB"),
                    random.nextBoolean() ? null : Path.of("/tmp/cache-" + random.nextInt(100)));

            String json = SpecReader.JSON.writeValueAsString(spec.toJson());

            assertThat(SpecReader.parse(json)).as(json).isEqualTo(spec);
        }
    }

    @Test
    void unknownFieldsAreRefusedByName() {
        assertThatThrownBy(() -> SpecReader.parse(spec("\"Primary\"", ", \"suspend_timeout\": 5")))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("unknown field 'suspend_timeout'")
                .hasMessageContaining("suspend_timeout_seconds");
    }

    @Test
    void everyMistakeIsUserInputNamingTheField() {
        String primary = spec("\"Primary\"", "");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("", "spec: empty (expected: a JSON object with tenant_id, timeline_id");
        cases.put("[1]", "expected: a JSON object");
        cases.put("{", "malformed JSON");
        cases.put(primary.replace("\"tenant_id\": \"" + TENANT + "\",", ""), "missing field 'tenant_id'");
        cases.put(primary.replace(TENANT, "zz"), "tenant_id: zz");
        cases.put(primary.replace(TIMELINE, TIMELINE.substring(1)), "timeline_id:");
        cases.put(spec("\"Replica\"", ""), "mode: \"Replica\" (expected: \"Primary\" or {\"Static\": \"X/X\"})");
        cases.put(spec("{\"Static\": \"0/ZZ\"}", ""), "mode: lsn: 0/ZZ");
        cases.put(spec("{\"Static\": 5}", ""), "mode: {\"Static\":5}");
        cases.put(primary.replace("\"1@127.0.0.1:5454\"", "\"127.0.0.1:5454\""), "safekeeper_connstrings:");
        cases.put(primary.replace("\"1@127.0.0.1:5454\"", "7"), "safekeeper_connstrings: 7");
        cases.put(
                primary.replace("[\"1@127.0.0.1:5454\", \"2@127.0.0.1:5455\", \"3@localhost:5456\"]", "[]"),
                "a primary needs them");
        cases.put(primary.replace("\"127.0.0.1:51051\"", "\"127.0.0.1\""), "pageserver_connstring:");
        cases.put(primary.replace("\"127.0.0.1:51051\"", "\"127.0.0.1:0\""), "pageserver_connstring:");
        cases.put(primary.replace("55432", "70000"), "pg_port: 70000 (expected: a whole number 1-65535)");
        cases.put(primary.replace("55432", "\"55432\""), "pg_port: \"55432\"");
        cases.put(primary.replace("55432", "5.5"), "pg_port: 5.5");
        cases.put(spec("\"Primary\"", ", \"suspend_timeout_seconds\": 0"), "suspend_timeout_seconds: 0");
        cases.put(spec("\"Primary\"", ", \"suspend_timeout_seconds\": -2"), "suspend_timeout_seconds: -2");
        cases.put(spec("\"Primary\"", ", \"safekeepers_generation\": -1"), "safekeepers_generation: -1");
        cases.put(spec("\"Primary\"", ", \"storage_auth_token\": \" \""), "storage_auth_token: blank");
        cases.put(spec("\"Primary\"", ", \"settings\": {\"a b\": \"1\"}"), "settings: 'a b'");
        cases.put(spec("\"Primary\"", ", \"settings\": {\"work_mem\": [1]}"), "settings: work_mem");
        cases.put(spec("\"Primary\"", ", \"settings\": 3"), "settings: 3");
        cases.put(spec("\"Primary\"", ", \"image_cache\": \"\""), "image_cache: blank");

        cases.forEach((json, message) -> assertThatThrownBy(() -> SpecReader.parse(json))
                .as(json)
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT))
                .hasMessageContaining(message));
    }
}
