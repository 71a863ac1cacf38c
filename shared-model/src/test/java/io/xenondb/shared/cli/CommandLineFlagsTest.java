package io.xenondb.shared.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineFlagsTest {
    private final CommandLineFlags flags = new CommandLineFlags(
            "broker",
            List.of(
                    Flag.value("listen-addr", "host:port", "127.0.0.1:50051", "gRPC address")
                            .withShortName('l'),
                    Flag.value("timeline-chan-size", "n", "32", "buffer"),
                    Flag.toggle("dev", "no auth")));

    @Test
    void neonStyleValuesBecomeSpringProperties() {
        assertThat(flags.normalize("--listen-addr", "0.0.0.0:1", "--timeline-chan-size", "5"))
                .containsExactly("--listen-addr=0.0.0.0:1", "--timeline-chan-size=5");
        assertThat(flags.normalize("-l", "[::1]:7")).containsExactly("--listen-addr=[::1]:7");
        assertThat(flags.normalize("-l=h:1")).containsExactly("--listen-addr=h:1");
    }

    @Test
    void equalsFormIsKeptAndValuesMayContainEqualsOrMinus() {
        assertThat(flags.normalize("--listen-addr=a=b", "--timeline-chan-size", "-1"))
                .containsExactly("--listen-addr=a=b", "--timeline-chan-size=-1");
        assertThat(flags.normalize("--timeline-chan-size=")).containsExactly("--timeline-chan-size=");
    }

    @Test
    void switchesNeedNoValue() {
        assertThat(flags.normalize("--dev", "-l", "h:1")).containsExactly("--dev=true", "--listen-addr=h:1");
        assertThat(flags.normalize("--dev=false")).containsExactly("--dev=false");
        assertThat(flags.normalize()).isEmpty();
    }

    @Test
    void unknownFlagIsRefusedWithOneLineNamingIt() {
        assertThatThrownBy(() -> flags.normalize("--listen-adr", "x:1"))
                .isInstanceOf(XenonException.class)
                .hasMessage("unknown flag --listen-adr (expected one of: --listen-addr, --timeline-chan-size, --dev)")
                .extracting(e -> ((XenonException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThatThrownBy(() -> flags.normalize("--spring.main.banner-mode=off"))
                .hasMessageStartingWith("unknown flag --spring.main.banner-mode ");
        assertThatThrownBy(() -> flags.normalize("-x")).hasMessageStartingWith("unknown flag -x ");
        assertThatThrownBy(() -> flags.normalize("-lh:1")).hasMessageStartingWith("unknown flag -lh:1 ");
        assertThatThrownBy(() -> flags.normalize("--" + "a".repeat(500)))
                .hasMessageNotContaining("a".repeat(100))
                .hasMessageNotContaining("\n");
    }

    @Test
    void missingValueStrayArgumentAndRepeatsAreRefused() {
        assertThatThrownBy(() -> flags.normalize("--listen-addr"))
                .hasMessage("flag --listen-addr needs a value (expected: --listen-addr <host:port>)");
        assertThatThrownBy(() -> flags.normalize("-l", "--dev"))
                .hasMessage("flag -l needs a value (expected: -l <host:port>)");
        assertThatThrownBy(() -> flags.normalize("serve"))
                .hasMessage("unexpected argument 'serve' (expected: flags; see broker --help)");
        assertThatThrownBy(() -> flags.normalize("--dev", "--", "x"))
                .hasMessageStartingWith("unexpected argument '--'");
        assertThatThrownBy(() -> flags.normalize("-l", "a:1", "--listen-addr=b:2"))
                .hasMessage("flag --listen-addr is given more than once");
    }

    @Test
    void helpListsEveryFlagWithItsDefault() {
        assertThat(flags.wantsHelp("--dev", "--help")).isTrue();
        assertThat(flags.wantsHelp("-h")).isTrue();
        assertThat(flags.wantsHelp("--dev")).isFalse();
        String usage = flags.usage();
        assertThat(usage)
                .contains("-l, --listen-addr <host:port>")
                .contains("[default: 127.0.0.1:50051]")
                .contains("--timeline-chan-size <n>")
                .contains("--dev ")
                .contains("--help");
        assertThat(usage.lines().filter(line -> line.startsWith("  "))).hasSize(4);
    }

    @Test
    void declarationsAreChecked() {
        assertThatThrownBy(() -> Flag.value("Listen_Addr", "x", null, "h"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommandLineFlags("p", List.of(Flag.toggle("a", "h"), Flag.toggle("a", "h"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommandLineFlags(
                        "p",
                        List.of(
                                Flag.toggle("a", "h").withShortName('a'),
                                Flag.toggle("b", "h").withShortName('a'))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
