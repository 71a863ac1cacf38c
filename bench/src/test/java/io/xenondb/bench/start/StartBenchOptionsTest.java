package io.xenondb.bench.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.XenonException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StartBenchOptionsTest {
    @Test
    void defaultsAreAHundredMegabytesThreeTimes() {
        StartBenchOptions o = StartBenchOptions.parse();
        assertThat(o.sizeMb()).isEqualTo(100);
        assertThat(o.repeat()).isEqualTo(3);
        assertThat(o.workDir()).isEqualTo(Path.of("bench/target/start-bench"));
        assertThat(o.appendTo()).isNull();
        assertThat(o.checkpointDistanceMb()).isZero();
    }

    @Test
    void flagsTakeSeparateOrInlineValues() {
        StartBenchOptions o = StartBenchOptions.parse(
                "--size-mb",
                "20",
                "--repeat=1",
                "--workdir",
                "/tmp/w",
                "--append-to=docs/benchmarks.md",
                "--checkpoint-distance-mb",
                "16");
        assertThat(o).isEqualTo(new StartBenchOptions(20, 1, Path.of("/tmp/w"), Path.of("docs/benchmarks.md"), 16));
    }

    @Test
    void badFlagsNameWhatWasWrong() {
        assertThatThrownBy(() -> StartBenchOptions.parse("--size-mb", "lots"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("--size-mb: 'lots' (expected: a whole number)");
        assertThatThrownBy(() -> StartBenchOptions.parse("--size-mb", "5"))
                .hasMessageContaining("--size-mb: 5 (expected: at least 9)");
        assertThatThrownBy(() -> StartBenchOptions.parse("--repeat", "0"))
                .hasMessageContaining("--repeat: 0 (expected: at least 1)");
        assertThatThrownBy(() -> StartBenchOptions.parse("--checkpoint-distance-mb", "0"))
                .hasMessageContaining("--checkpoint-distance-mb: 0 (expected: 1 or more)");
        assertThatThrownBy(() -> StartBenchOptions.parse("--quick", "1")).hasMessageContaining("unknown flag --quick");
        assertThatThrownBy(() -> StartBenchOptions.parse("--repeat")).hasMessageContaining("--repeat: no value");
        assertThatThrownBy(() -> StartBenchOptions.parse("extra")).hasMessageContaining("unknown argument extra");
    }
}
