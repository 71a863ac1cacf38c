package io.xenondb.shared.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.XenonException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {
    @Test
    void parsesNeonForms() {
        assertThat(HumanDuration.parse("7 days")).isEqualTo(Duration.ofDays(7));
        assertThat(HumanDuration.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(HumanDuration.parse("1h 30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(HumanDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(HumanDuration.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(HumanDuration.parse("1 hour")).isEqualTo(Duration.ofHours(1));
        assertThat(HumanDuration.parse("2w")).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String bad :
                new String[] {"", " ", "10", "ten minutes", "5 fortnights", "5m x", "-5s", "99999999999999999999s"}) {
            assertThatThrownBy(() -> HumanDuration.parse(bad))
                    .as(bad)
                    .isInstanceOf(XenonException.class)
                    .hasMessageContaining("is not a duration");
        }
    }
}
