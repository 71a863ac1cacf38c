package io.xenondb.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.controller.config.ControllerProperties;
import io.xenondb.shared.auth.Jwt;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.XenonException;
import org.junit.jupiter.api.Test;

/** Auth settings: a public key is required unless in dev mode, and is read from its PEM text. */
class ControllerPropertiesAuthTest {
    private static final String DB = "postgresql://controller@127.0.0.1:5432/storage_controller";

    private static ControllerProperties properties(boolean dev, String publicKey, String jwtToken) {
        return new ControllerProperties(
                ListenAddress.parse("127.0.0.1:1234"),
                DB,
                dev,
                ".xenon-controller-db",
                publicKey,
                jwtToken,
                null,
                null,
                null,
                "128",
                "10",
                "30s",
                null,
                "5s");
    }

    @Test
    void withoutDevAPublicKeyIsRequired() {
        assertThatThrownBy(() -> properties(false, null, null))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("public-key: missing");
    }

    @Test
    void aKeyTurnsAuthOnInAnyMode() {
        String pem = Jwt.generatePem().get("public");
        assertThat(properties(false, pem, null).publicKeyValue()).isPresent();
        assertThat(properties(true, pem, null).publicKeyValue()).isPresent();
        assertThat(properties(true, null, null).publicKeyValue()).isEmpty();
    }

    @Test
    void aBadKeyOrTokenIsRefused() {
        assertThatThrownBy(() -> properties(true, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", null))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("public-key");
        assertThatThrownBy(() -> properties(true, null, "not-a-jwt"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("jwt-token");
        assertThat(properties(true, null, "a.b.c").storageNodeToken()).contains("a.b.c");
    }
}
