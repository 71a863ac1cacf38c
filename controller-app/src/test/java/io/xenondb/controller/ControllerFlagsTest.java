package io.xenondb.controller;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.controller.config.ControllerFlags;
import io.xenondb.shared.error.XenonException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("controller")
class ControllerFlagsTest {
    @Test
    void seedCommandLineIsAccepted() {
        org.assertj.core.api.Assertions.assertThat(ControllerFlags.FLAGS.normalize(
                        "--listen",
                        "0.0.0.0:1234",
                        "--reconciler-concurrency",
                        "128",
                        "--tenant-rate-limit",
                        "10",
                        "--max-offline-interval",
                        "30s",
                        "--split-threshold",
                        "10737418240",
                        "--dev"))
                .contains("--listen=0.0.0.0:1234", "--max-offline-interval=30s", "--dev=true");
    }

    @Test
    void unknownFlagIsOneLine() {
        assertThatThrownBy(() -> ControllerFlags.FLAGS.normalize("--lissen", "x"))
                .isInstanceOf(XenonException.class)
                .hasMessageStartingWith("unknown flag --lissen")
                .hasMessageNotContaining("\n");
    }
}
