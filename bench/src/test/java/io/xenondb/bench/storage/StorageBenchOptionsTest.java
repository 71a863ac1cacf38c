package io.xenondb.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StorageBenchOptionsTest {
    @Test
    void noFlagsAreTheDefaults() {
        assertThat(StorageBenchOptions.parse()).isEqualTo(StorageBenchOptions.defaults());
        assertThat(StorageBenchOptions.defaults().largeMb()).isEqualTo(1024);
    }

    @Test
    void quickShrinksTheRunAndLaterFlagsStillWin() {
        StorageBenchOptions o = StorageBenchOptions.parse("--quick", "--large-mb=300", "--workdir", "/tmp/x");
        assertThat(o.smallMb()).isEqualTo(10);
        assertThat(o.mediumMb()).isEqualTo(50);
        assertThat(o.largeMb()).isEqualTo(300);
        assertThat(o.repeat()).isEqualTo(2);
        assertThat(o.reads()).isEqualTo(500);
        assertThat(o.workDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.appendTo()).isNull();
    }

    @Test
    void badFlagsNameWhatWasWrong() {
        assertThatThrownBy(() -> StorageBenchOptions.parse("--large-mb", "lots"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("--large-mb: 'lots' (expected: a whole number)")
                .satisfies(e -> assertThat(((XenonException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> StorageBenchOptions.parse("--medium-mb", "5"))
                .hasMessageContaining("--medium-mb: 5 (expected: at least 10)");
        assertThatThrownBy(() -> StorageBenchOptions.parse("--large-mb=50", "--medium-mb=100"))
                .hasMessageContaining("--large-mb: 50 (expected: at least 100)");
        assertThatThrownBy(() -> StorageBenchOptions.parse("--repeat")).hasMessageContaining("--repeat: no value");
        assertThatThrownBy(() -> StorageBenchOptions.parse("--size", "1")).hasMessageContaining("unknown flag --size");
    }
}
