package io.xenondb.shared.id;

import static io.xenondb.shared.testing.Malformed.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.testing.Seeds;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantShardIdTest {
    private static final String TENANT = "9ef87a5bf0d92544f6fafeeb3239695c";

    @Test
    void seedValuesParse() {
        TenantShardId sharded = TenantShardId.parse(TENANT + "-0104");
        assertThat(sharded.tenantId()).isEqualTo(TenantId.parse(TENANT));
        assertThat(sharded.shardNumber()).isEqualTo(new ShardNumber(1));
        assertThat(sharded.shardCount()).isEqualTo(new ShardCount(4));
        assertThat(sharded).hasToString(TENANT + "-0104");

        TenantShardId legacy = TenantShardId.parse(TENANT);
        assertThat(legacy.isUnsharded()).isTrue();
        assertThat(legacy.shardCount()).isEqualTo(ShardCount.UNSHARDED);
        assertThat(legacy).hasToString(TENANT);
    }

    @Test
    void countZeroAndCountOneAreDifferentShards() {
        TenantShardId legacy = TenantShardId.parse(TENANT);
        TenantShardId single = TenantShardId.parse(TENANT + "-0001");
        assertThat(single).isNotEqualTo(legacy);
        assertThat(single.isUnsharded()).isFalse();
        assertThat(single.shardCount().count())
                .isEqualTo(legacy.shardCount().count())
                .isEqualTo(1);
        assertThat(single).hasToString(TENANT + "-0001");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void parseAndFormatAreInverses(long seed) {
        Seeds.run(seed, random -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String tenant = HexFormat.of().formatHex(bytes);
            int count = random.nextInt(256);
            int number = count == 0 ? 0 : random.nextInt(count);
            String canonical = count == 0 ? tenant : String.format("%s-%02x%02x", tenant, number, count);

            TenantShardId id = TenantShardId.parse(canonical);
            assertThat(id.tenantId().toBytes()).isEqualTo(bytes);
            assertThat(id.shardNumber().value()).isEqualTo(number);
            assertThat(id.shardCount().value()).isEqualTo(count);
            assertThat(id).hasToString(canonical);
            assertThat(TenantShardId.parse(id.toString())).isEqualTo(id);
            assertThat(TenantShardId.parse(canonical.toUpperCase(Locale.ROOT))).isEqualTo(id);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void anyNonHexCharacterIsRefused(long seed) {
        String canonical = TENANT + "-0104";
        Seeds.run(seed, random -> {
            int at = random.nextInt(canonical.length());
            if (at == 32) {
                return; // the dash itself
            }
            char bad;
            do {
                bad = (char) random.nextInt(0x3000);
            } while (IdText.hexDigit(bad) >= 0);
            String text = canonical.substring(0, at) + bad + canonical.substring(at + 1);
            assertRejected(TenantShardId::parse, text, ErrorCode.INVALID_ID, "tenant_shard_id");
        });
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "zz",
                TENANT + "-",
                TENANT + "-01",
                TENANT + "-010",
                TENANT + "-01040",
                TENANT + "_0104",
                TENANT + "00104",
                TENANT + "-0000",
                TENANT + "-0100",
                TENANT + "-0404",
                TENANT + "-0502",
                TENANT + "-zz04",
                TENANT + "-01-4",
                "9ef87a5bf0d92544f6fafeeb3239695-00104",
                "-" + TENANT,
                TENANT + "/0104"
            })
    void malformedTextGivesTypedError(String text) {
        assertRejected(TenantShardId::parse, text, ErrorCode.INVALID_ID, "tenant_shard_id");
    }

    @Test
    void splitKeepsKeysOnChildrenCongruentModuloTheOldCount() {
        TenantId tenant = TenantId.parse(TENANT);
        assertThat(TenantShardId.unsharded(tenant).split(new ShardCount(2)))
                .extracting(TenantShardId::toString)
                .containsExactly(TENANT + "-0002", TENANT + "-0102");
        assertThat(TenantShardId.of(tenant, 1, 2).split(new ShardCount(8)))
                .extracting(TenantShardId::toString)
                .containsExactly(TENANT + "-0108", TENANT + "-0308", TENANT + "-0508", TENANT + "-0708");
        assertThatThrownBy(() -> TenantShardId.of(tenant, 1, 4).split(new ShardCount(6)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("new_shard_count: 6");
        assertThatThrownBy(() -> TenantShardId.of(tenant, 1, 4).split(new ShardCount(4)))
                .isInstanceOf(XenonException.class);
    }

    @Test
    void orderIsTenantThenNumberThenCount() {
        TenantId low = TenantId.parse("00000000000000000000000000000001");
        TenantId high = TenantId.parse("f0000000000000000000000000000000");
        assertThat(TenantShardId.of(low, 3, 4)).isLessThan(TenantShardId.unsharded(high));
        assertThat(TenantShardId.unsharded(low)).isLessThan(TenantShardId.of(low, 0, 2));
        assertThat(TenantShardId.of(low, 0, 4)).isLessThan(TenantShardId.of(low, 1, 2));
        assertThat(TenantShardId.of(low, 1, 0x10)).isLessThan(TenantShardId.of(low, 2, 4));
    }
}
