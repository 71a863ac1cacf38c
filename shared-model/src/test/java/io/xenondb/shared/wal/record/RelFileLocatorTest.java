package io.xenondb.shared.wal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.XenonException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelFileLocatorTest {
    @Test
    void roundTripsTheTextForm() {
        RelFileLocator rel = RelFileLocator.parse("1663/5/4294967295");
        assertThat(rel).isEqualTo(new RelFileLocator(1663, 5, 4_294_967_295L));
        assertThat(rel.toString()).isEqualTo("1663/5/4294967295");
        assertThat(new RelFileLocator(1663, 5, 16384)).isLessThan(new RelFileLocator(1663, 5, 16385));
        assertThat(new RelFileLocator(1663, 4, 99999)).isLessThan(new RelFileLocator(1663, 5, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1663/5", "1663/5/1/2", "a/5/1", "1663/5/4294967296", "-1/5/1", "1663//1"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> RelFileLocator.parse(text))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("rel file locator: " + text);
    }
}
