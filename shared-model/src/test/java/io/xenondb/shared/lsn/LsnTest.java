package io.xenondb.shared.lsn;

import static io.xenondb.shared.testing.Malformed.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.testing.Seeds;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class LsnTest {
    @Test
    void seedValueParses() {
        Lsn lsn = Lsn.parse("0/16B5A50");
        assertThat(lsn.value()).isEqualTo(0x16B5A50L);
        assertThat(lsn).hasToString("0/16B5A50");
    }

    @Test
    void formatsHighAndLowHalvesInUpperCaseWithoutPadding() {
        assertThat(new Lsn(0)).hasToString("0/0");
        assertThat(new Lsn(0x1_0000_00ABL)).hasToString("1/AB");
        assertThat(Lsn.MAX).hasToString("FFFFFFFF/FFFFFFFF");
    }

    @Test
    void acceptsLowerCaseAndLeadingZeros() {
        assertThat(Lsn.parse("0/16b5a50")).isEqualTo(new Lsn(0x16B5A50L));
        assertThat(Lsn.parse("00000001/0000000A")).isEqualTo(new Lsn(0x1_0000_000AL));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void parseOfFormatIsIdentity(long seed) {
        Seeds.run(seed, random -> {
            Lsn lsn = new Lsn(Seeds.edgyLong(random));
            assertThat(Lsn.parse(lsn.toString())).isEqualTo(lsn);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void formatOfParseIsIdentityForCanonicalText(long seed) {
        Seeds.run(seed, random -> {
            long high = Seeds.edgyLong(random) >>> 32;
            long low = Seeds.edgyLong(random) & 0xFFFF_FFFFL;
            String canonical = (Long.toHexString(high) + "/" + Long.toHexString(low)).toUpperCase(Locale.ROOT);
            Lsn lsn = Lsn.parse(canonical);
            assertThat(lsn.value()).isEqualTo((high << 32) | low);
            assertThat(lsn).hasToString(canonical);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void orderIsUnsigned(long seed) {
        Seeds.run(seed, random -> {
            Lsn a = new Lsn(Seeds.edgyLong(random));
            Lsn b = new Lsn(Seeds.edgyLong(random));
            assertThat(Integer.signum(a.compareTo(b)))
                    .isEqualTo(Integer.signum(Long.compareUnsigned(a.value(), b.value())));
        });
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "/",
                "0",
                "16B5A50",
                "0/",
                "/0",
                "0/ZZ",
                "0/16B5A5G",
                "1FFFFFFFF/0",
                "0/100000000",
                "0/1/2",
                "0//1",
                " 0/1",
                "0/1 ",
                "+0/1",
                "-1/0",
                "0x0/1",
                "٣/0",
                "0/１",
                "0/ＡＢ"
            })
    void malformedTextGivesTypedError(String text) {
        assertRejected(Lsn::parse, text, ErrorCode.INVALID_LSN, "lsn");
    }

    @Test
    void arithmeticRefusesOverflowAndGoingBackwards() {
        assertThat(Lsn.parse("0/100").plus(0x10)).isEqualTo(Lsn.parse("0/110"));
        assertThat(Lsn.parse("0/110").minus(Lsn.parse("0/100"))).isEqualTo(0x10);
        assertThatThrownBy(() -> Lsn.MAX.plus(1)).isInstanceOf(XenonException.class);
        assertThatThrownBy(() -> Lsn.INVALID.plus(-1)).isInstanceOf(XenonException.class);
        assertThatThrownBy(() -> Lsn.parse("0/100").minus(Lsn.parse("0/101")))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("0/101");
    }

    @Test
    void segmentAndPageMath() {
        Lsn lsn = Lsn.parse("1/2345678");
        assertThat(lsn.segmentNumber()).isEqualTo(0x1_0234_5678L / Lsn.WAL_SEGMENT_SIZE);
        assertThat(lsn.segmentOffset()).isEqualTo(0x345678);
        assertThat(lsn.segmentStart(Lsn.WAL_SEGMENT_SIZE)).isEqualTo(Lsn.parse("1/2000000"));
        assertThat(lsn.pageOffset()).isEqualTo(0x1678);
        assertThat(lsn.pageStart()).isEqualTo(Lsn.parse("1/2344000"));
        assertThat(Lsn.parse("0/16B5A51").alignUp(Lsn.RECORD_ALIGNMENT)).isEqualTo(Lsn.parse("0/16B5A58"));
        assertThat(Lsn.parse("0/16B5A58").alignUp(Lsn.RECORD_ALIGNMENT)).isEqualTo(Lsn.parse("0/16B5A58"));
    }
}
