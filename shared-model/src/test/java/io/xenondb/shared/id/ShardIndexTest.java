package io.xenondb.shared.id;

import static io.xenondb.shared.testing.Malformed.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShardIndexTest {
    @Test
    void headerForms() {
        assertThat(ShardIndex.parse("0000")).isEqualTo(ShardIndex.UNSHARDED);
        assertThat(ShardIndex.parse("0104")).isEqualTo(ShardIndex.of(1, 4));
        assertThat(ShardIndex.parse("0b10")).isEqualTo(ShardIndex.of(11, 16));
        assertThat(ShardIndex.parse("0B10")).hasToString("0b10");
        assertThat(ShardIndex.of(1, 2)).hasToString("0102");
    }

    @Test
    void everyValidPairRoundTripsAndEveryInvalidOneIsRefused() {
        for (int number = 0; number < 256; number++) {
            for (int count = 0; count < 256; count++) {
                String text = String.format("%02x%02x", number, count);
                if (number < Math.max(count, 1)) {
                    ShardIndex index = ShardIndex.parse(text);
                    assertThat(index.number().value()).isEqualTo(number);
                    assertThat(index.count().value()).isEqualTo(count);
                    assertThat(index).hasToString(text);
                } else {
                    assertRejected(ShardIndex::parse, text, ErrorCode.INVALID_ID, "shard_index");
                }
            }
        }
    }

    @Test
    void suffixIsEmptyOnlyWhenUnsharded() {
        assertThat(ShardIndex.UNSHARDED.suffix()).isEmpty();
        assertThat(ShardIndex.of(0, 1).suffix()).isEqualTo("-0001");
        assertThat(ShardIndex.of(3, 8).suffix()).isEqualTo("-0308");
    }

    @Test
    void constructorRefusesNumberNotBelowCount() {
        assertThatThrownBy(() -> ShardIndex.of(4, 4))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("0404");
        assertThatThrownBy(() -> ShardIndex.of(1, 0)).isInstanceOf(XenonException.class);
    }

    @Test
    void orderIsNumberThenCount() {
        assertThat(ShardIndex.of(0, 4)).isLessThan(ShardIndex.of(1, 2));
        assertThat(ShardIndex.of(1, 2)).isLessThan(ShardIndex.of(1, 4));
        assertThat(ShardIndex.UNSHARDED).isLessThan(ShardIndex.of(0, 1));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "0", "000", "00000", "-0104", "01 4", "0x04", "zz04", "0404", "ff00", "٠١٠٤"})
    void malformedTextGivesTypedError(String text) {
        assertRejected(ShardIndex::parse, text, ErrorCode.INVALID_ID, "shard_index");
    }
}
