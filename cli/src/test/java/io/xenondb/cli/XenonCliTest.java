package io.xenondb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class XenonCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return XenonCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: xenon").contains("start");
    }

    @Test
    void unknownCommandIsOneClearLineAndExitTwo() {
        assertThat(run("bogus")).isEqualTo(2);
        assertThat(err.toString().lines())
                .containsExactly("xenon: Unmatched argument at index 0: 'bogus'", "Try 'xenon --help'.");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void startSaysPlainlyThatItIsNotAvailableYet() {
        assertThat(run("start")).isEqualTo(3);
        assertThat(err.toString()).startsWith("xenon: start is not available yet");
    }
}
