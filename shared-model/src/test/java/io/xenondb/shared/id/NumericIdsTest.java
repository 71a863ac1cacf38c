package io.xenondb.shared.id;

import static io.xenondb.shared.testing.Malformed.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** NodeId, Term, Generation, ShardNumber, ShardCount and ShardStripeSize: decimal text, ranges, helpers. */
class NumericIdsTest {
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void decimalTextRoundTrips(long seed) {
        Seeds.run(seed, random -> {
            long u63 = Seeds.edgyLong(random) & Long.MAX_VALUE;
            String text = Long.toString(u63);
            assertThat(NodeId.parse(text)).isEqualTo(new NodeId(u63)).hasToString(text);
            assertThat(Term.parse(text)).isEqualTo(new Term(u63)).hasToString(text);

            long u32 = u63 & 0xFFFF_FFFFL;
            assertThat(Generation.parse(Long.toString(u32)))
                    .isEqualTo(Generation.of(u32))
                    .hasToString(Long.toString(u32));
            assertThat(ShardStripeSize.parse(Long.toString(u32)).pages()).isEqualTo(u32);

            int u8 = (int) (u63 & 0xFF);
            assertThat(ShardNumber.parse(Integer.toString(u8)).value()).isEqualTo(u8);
            assertThat(ShardCount.parse(Integer.toString(u8))).hasToString(Integer.toString(u8));
        });
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                " 1",
                "1 ",
                "+1",
                "-1",
                "01",
                "00",
                "1.0",
                "1e3",
                "0x10",
                "١",
                "１",
                "9223372036854775808",
                "18446744073709551616",
                "99999999999999999999"
            })
    void malformedDecimalsGiveTypedErrors(String text) {
        assertRejected(NodeId::parse, text, ErrorCode.INVALID_ID, "node_id");
        assertRejected(Term::parse, text, ErrorCode.INVALID_ID, "term");
        assertRejected(Generation::parse, text, ErrorCode.INVALID_ID, "generation");
        assertRejected(ShardNumber::parse, text, ErrorCode.INVALID_ID, "shard_number");
        assertRejected(ShardCount::parse, text, ErrorCode.INVALID_ID, "shard_count");
        assertRejected(ShardStripeSize::parse, text, ErrorCode.INVALID_ID, "stripe_size");
    }

    @Test
    void rangesAreEnforced() {
        assertThat(NodeId.parse("9223372036854775807").value()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> new NodeId(-1)).isInstanceOf(XenonException.class);
        assertThatThrownBy(() -> new Term(Long.MIN_VALUE)).isInstanceOf(XenonException.class);
        assertRejected(Generation::parse, "4294967296", ErrorCode.INVALID_ID, "generation");
        assertThat(Generation.parse("4294967295")).isEqualTo(Generation.MAX);
        assertRejected(ShardNumber::parse, "256", ErrorCode.INVALID_ID, "shard_number");
        assertRejected(ShardCount::parse, "256", ErrorCode.INVALID_ID, "shard_count");
        assertRejected(ShardStripeSize::parse, "4294967296", ErrorCode.INVALID_ID, "stripe_size");
        assertThatThrownBy(() -> new ShardNumber(-1)).isInstanceOf(XenonException.class);
        assertThatThrownBy(() -> Generation.of(-1)).isInstanceOf(XenonException.class);
    }

    @Test
    void generationSuffixIsNeons() {
        assertThat(Generation.NONE.suffix()).isEmpty();
        assertThat(Generation.of(0).suffix()).isEqualTo("-00000000");
        assertThat(Generation.of(10).suffix()).isEqualTo("-0000000a");
        assertThat(Generation.MAX.suffix()).isEqualTo("-ffffffff");
        assertThat("index_part.json" + Generation.of(7).suffix()).isEqualTo("index_part.json-00000007");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void generationSuffixRoundTrips(long seed) {
        Seeds.run(seed, random -> {
            Generation generation = Generation.of(Seeds.edgyLong(random) & 0xFFFF_FFFFL);
            String suffix = generation.suffix();
            assertThat(suffix).matches("-[0-9a-f]{8}");
            assertThat(Generation.parseSuffix(suffix.substring(1))).isEqualTo(generation);
        });
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "a", "0000000", "000000000", "0000000g", "-0000001", "0x000001", "٠٠٠٠٠٠٠١"})
    void malformedSuffixGivesTypedError(String text) {
        assertRejected(Generation::parseSuffix, text, ErrorCode.INVALID_ID, "generation");
    }

    @Test
    void generationNoneOrdersFirstAndStepsAsNeon() {
        assertThat(Generation.NONE).isLessThan(Generation.of(0));
        assertThat(Generation.NONE.isNone()).isTrue();
        assertThat(Generation.parse("none")).isEqualTo(Generation.NONE).hasToString("none");
        assertThat(Generation.NONE.next()).isEqualTo(Generation.of(1));
        assertThat(Generation.of(4).next()).isEqualTo(Generation.of(5));
        assertThat(Generation.of(0).previous()).isEqualTo(Generation.NONE);
        assertThat(Generation.NONE.previous()).isEqualTo(Generation.NONE);
        assertThat(Generation.of(5).previous()).isEqualTo(Generation.of(4));
        assertThatThrownBy(() -> Generation.MAX.next()).isInstanceOf(XenonException.class);
    }

    @Test
    void termSteps() {
        assertThat(Term.ZERO.next()).isEqualTo(new Term(1));
        assertThat(new Term(3).isAfter(new Term(2))).isTrue();
        assertThat(new Term(2).isBefore(new Term(3))).isTrue();
        assertThatThrownBy(() -> new Term(Long.MAX_VALUE).next()).isInstanceOf(XenonException.class);
    }

    @Test
    void shardCountZeroIsUnshardedWithOneShard() {
        assertThat(ShardCount.UNSHARDED.isUnsharded()).isTrue();
        assertThat(ShardCount.UNSHARDED.count()).isEqualTo(1);
        assertThat(new ShardCount(1).isUnsharded()).isFalse();
        assertThat(new ShardCount(8).count()).isEqualTo(8);
        assertThat(ShardStripeSize.DEFAULT.pages() * 8192).isEqualTo(16L * 1024 * 1024);
    }
}
