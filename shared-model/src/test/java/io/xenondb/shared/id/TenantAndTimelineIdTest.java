package io.xenondb.shared.id;

import static io.xenondb.shared.testing.Malformed.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.testing.Seeds;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantAndTimelineIdTest {
    private static final String SEED_TENANT = "9ef87a5bf0d92544f6fafeeb3239695c";

    @Test
    void seedTenantIdParses() {
        TenantId id = TenantId.parse(SEED_TENANT);
        assertThat(id.high()).isEqualTo(0x9ef87a5bf0d92544L);
        assertThat(id.low()).isEqualTo(0xf6fafeeb3239695cL);
        assertThat(id).hasToString(SEED_TENANT);
        assertThat(TimelineId.parse("de200bd42b49cc1814412c7e592dd6e9"))
                .hasToString("de200bd42b49cc1814412c7e592dd6e9");
    }

    @Test
    void upperCaseParsesToTheSameIdAndFormatsLowerCase() {
        assertThat(TenantId.parse(SEED_TENANT.toUpperCase(Locale.ROOT))).isEqualTo(TenantId.parse(SEED_TENANT));
        assertThat(TenantId.parse(SEED_TENANT.toUpperCase(Locale.ROOT))).hasToString(SEED_TENANT);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void textAndBytesRoundTrip(long seed) {
        Seeds.run(seed, random -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String canonical = HexFormat.of().formatHex(bytes);

            TenantId tenant = TenantId.parse(canonical);
            assertThat(tenant).hasToString(canonical);
            assertThat(tenant.toBytes()).isEqualTo(bytes);
            assertThat(TenantId.parse(tenant.toString())).isEqualTo(tenant);
            assertThat(TenantId.fromBytes(bytes)).isEqualTo(tenant);
            assertThat(TenantId.fromByteString(tenant.toByteString())).isEqualTo(tenant);

            TimelineId timeline = TimelineId.parse(canonical);
            assertThat(timeline).hasToString(canonical);
            assertThat(timeline.toBytes()).isEqualTo(bytes);
            assertThat(TimelineId.fromBytes(bytes)).isEqualTo(timeline);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void orderIsUnsignedByteOrder(long seed) {
        Seeds.run(seed, random -> {
            byte[] a = new byte[16];
            byte[] b = new byte[16];
            random.nextBytes(a);
            random.nextBytes(b);
            if (random.nextBoolean()) {
                System.arraycopy(a, 0, b, 0, 8); // equal high halves, so the low half decides
            }
            assertThat(Integer.signum(TenantId.fromBytes(a).compareTo(TenantId.fromBytes(b))))
                    .isEqualTo(Integer.signum(Arrays.compareUnsigned(a, b)));
        });
    }

    @Test
    void generateGivesDistinctCanonicalIds() {
        Set<TenantId> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            TenantId id = TenantId.generate();
            assertThat(id.toString()).matches("[0-9a-f]{32}");
            assertThat(seen.add(id)).as("duplicate %s", id).isTrue();
        }
        assertThat(TimelineId.generate()).isNotEqualTo(TimelineId.generate());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "zz",
                "9ef87a5bf0d92544f6fafeeb3239695",
                "9ef87a5bf0d92544f6fafeeb3239695c0",
                "9ef87a5bf0d92544f6fafeeb3239695g",
                "9ef87a5bf0d92544-6fafeeb3239695c",
                " ef87a5bf0d92544f6fafeeb3239695c",
                "9ef87a5bf0d92544f6fafeeb3239695٣",
                "9ef87a5bf0d92544f6fafeeb3239695ｃ",
                "0x9ef87a5bf0d92544f6fafeeb323969",
                "9ef87a5bf0d92544f6fafeeb3239695c-0104"
            })
    void malformedTextGivesTypedError(String text) {
        assertRejected(TenantId::parse, text, ErrorCode.INVALID_ID, "tenant_id");
        assertRejected(TimelineId::parse, text, ErrorCode.INVALID_ID, "timeline_id");
    }

    @Test
    void errorMessageMatchesTheHouseForm() {
        assertThatThrownBy(() -> TenantId.parse("zz")).hasMessage("tenant_id: zz (expected: 32 hex chars)");
    }

    @Test
    void hugeInputIsCutInTheMessage() {
        String huge = "a".repeat(1_000_000);
        assertThatThrownBy(() -> TenantId.parse(huge))
                .isInstanceOf(XenonException.class)
                .hasMessageStartingWith("tenant_id: aaaa")
                .hasMessageContaining("(1000000 chars)");
    }

    @Test
    void wrongByteCountGivesTypedError() {
        assertThatThrownBy(() -> TenantId.fromBytes(new byte[15]))
                .isInstanceOf(XenonException.class)
                .hasMessage("tenant_id: 15 bytes (expected: 16 bytes)");
        assertThatThrownBy(() -> TimelineId.fromByteString(ByteString.EMPTY))
                .isInstanceOf(XenonException.class)
                .hasMessage("timeline_id: 0 bytes (expected: 16 bytes)");
        assertThatThrownBy(() -> TenantId.fromBytes(null)).isInstanceOf(XenonException.class);
    }

    @Test
    void tenantTimelineIdTextAndProtoForms() {
        String text = SEED_TENANT + "/de200bd42b49cc1814412c7e592dd6e9";
        TenantTimelineId id = TenantTimelineId.parse(text);
        assertThat(id.tenantId()).isEqualTo(TenantId.parse(SEED_TENANT));
        assertThat(id).hasToString(text);
        assertThat(TenantTimelineId.fromProto(id.toBrokerProto())).isEqualTo(id);
        assertThat(TenantTimelineId.fromProto(id.toWalProto())).isEqualTo(id);
        assertThat(id.toWalProto().getTenantId().toByteArray())
                .isEqualTo(id.tenantId().toBytes());
        for (String bad : new String[] {"", SEED_TENANT, text + "0", text.replace('/', '-'), text.replace('c', 'x')}) {
            assertRejected(TenantTimelineId::parse, bad, ErrorCode.INVALID_ID, "tenant_timeline_id");
        }
        assertThatThrownBy(() -> TenantTimelineId.fromProto(io.xenondb.proto.wal.TenantTimelineId.getDefaultInstance()))
                .isInstanceOf(XenonException.class)
                .hasMessage("tenant_id: 0 bytes (expected: 16 bytes)");
    }
}
