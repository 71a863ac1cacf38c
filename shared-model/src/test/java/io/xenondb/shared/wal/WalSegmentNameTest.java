package io.xenondb.shared.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalSegmentNameTest {
    @Test
    void parsesAndPrintsPostgresNames() {
        WalSegmentName name = WalSegmentName.parse("00000001000000020000003F");
        assertThat(name.timeline()).isEqualTo(1);
        assertThat(name.segmentNumber()).isEqualTo(2 * 256 + 0x3F);
        assertThat(name.toString()).isEqualTo("00000001000000020000003F");
        assertThat(name.startLsn()).isEqualTo(Lsn.parse("2/3F000000"));
        assertThat(name.endLsn()).isEqualTo(Lsn.parse("2/40000000"));
        assertThat(name.next().toString()).isEqualTo("000000010000000200000040");
        assertThat(new WalSegmentName(1, 255).next().toString()).isEqualTo("000000010000000100000000");
    }

    @Test
    void segmentOfAnLsn() {
        WalSegmentName name = WalSegmentName.of(3, Lsn.parse("0/16B5A50"));
        assertThat(name.toString()).isEqualTo("000000030000000000000001");
        assertThat(name.contains(Lsn.parse("0/1FFFFFF"))).isTrue();
        assertThat(name.contains(Lsn.parse("0/2000000"))).isFalse();
        assertThat(WalSegmentName.parse(name.toString())).isEqualTo(name);
    }

    @Test
    void ordersByTimelineThenSegment() {
        assertThat(WalSegmentName.parse("000000010000000000000009"))
                .isLessThan(WalSegmentName.parse("00000001000000000000000A"))
                .isLessThan(WalSegmentName.parse("000000020000000000000001"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "00000001000000000000001",
                "0000000100000000000000010",
                "00000001000000000000000a",
                "000000000000000000000001",
                "000000010000000000000100",
                "00000001000000000000000G",
                "00000001000000000000001 "
            })
    void rejectsMalformedNames(String text) {
        assertThatThrownBy(() -> WalSegmentName.parse(text))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("wal segment name: " + text)
                .satisfies(e -> assertThat(((XenonException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void rejectsNullAndOutOfRangeParts() {
        assertThatThrownBy(() -> WalSegmentName.parse(null)).isInstanceOf(XenonException.class);
        assertThatThrownBy(() -> new WalSegmentName(0, 1)).hasMessageContaining("timeline: 0");
        assertThatThrownBy(() -> new WalSegmentName(1, -1)).hasMessageContaining("segment number: -1");
        assertThat(WalSegmentName.isSegmentName("000000010000000000000001")).isTrue();
        assertThat(WalSegmentName.isSegmentName("000000010000000000000001.partial"))
                .isFalse();
    }
}
