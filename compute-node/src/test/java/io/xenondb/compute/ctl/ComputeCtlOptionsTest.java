package io.xenondb.compute.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.XenonException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("compute-ctl")
class ComputeCtlOptionsTest {
    @Test
    void defaults() {
        ComputeCtlOptions options = ComputeCtlOptions.parse("--pgdata", "ep/pgdata");

        assertThat(options.pgdata()).isEqualTo(Path.of("ep/pgdata").toAbsolutePath());
        assertThat(options.config()).isEmpty();
        assertThat(options.http()).isEqualTo(new ListenAddress("127.0.0.1", 3080));
        assertThat(options.pgbin()).isEmpty();
    }

    @Test
    void explicitValues() {
        ComputeCtlOptions options = ComputeCtlOptions.parse(
                "--pgdata=/x/pgdata",
                "--config",
                "/x/spec.json",
                "--http-port",
                "0",
                "--listen",
                "[::1]",
                "--pgbin",
                "/opt/pg/bin");

        assertThat(options.config()).contains(Path.of("/x/spec.json"));
        assertThat(options.http()).isEqualTo(new ListenAddress("::1", 0));
        assertThat(options.pgbin()).contains(Path.of("/opt/pg/bin"));
    }

    @Test
    void mistakesNameTheFlag() {
        assertThatThrownBy(ComputeCtlOptions::parse)
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("--pgdata: missing");
        assertThatThrownBy(() -> ComputeCtlOptions.parse("--pgdata", "d", "--http-port", "http"))
                .hasMessageContaining("--http-port: 'http' (expected: 0-65535");
        assertThatThrownBy(() -> ComputeCtlOptions.parse("--pgdata", "d", "--http-port", "65536"))
                .hasMessageContaining("--http-port: '65536'");
        assertThatThrownBy(() -> ComputeCtlOptions.parse("--pgdata", "d", "--listen", "a b"))
                .hasMessageContaining("--listen: 'a b'");
        assertThatThrownBy(() -> ComputeCtlOptions.parse("--pgdata", "d", "--spec", "x"))
                .hasMessageContaining("unknown flag --spec");
    }
}
