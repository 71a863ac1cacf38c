package io.xenondb.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.cli.XenonCli;
import io.xenondb.shared.auth.Claims;
import io.xenondb.shared.auth.Jwt;
import io.xenondb.shared.auth.Scope;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateJwtCommandTest {
    private static final String TENANT = "9ef87a5bf0d92544f6fafeeb3239695c";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return XenonCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void newKeyPairThenATokenThatItsPublicKeyVerifies() throws IOException {
        Path key = dir.resolve("keys").resolve("auth_private_key.pem");
        assertThat(run("generate-jwt", "--scope", "admin", "--private-key", key.toString(), "--new-key-pair"))
                .isZero();
        String token = out.toString().strip();
        var publicKey = Jwt.publicKey(Files.readString(key.resolveSibling("auth_public_key.pem")));
        assertThat(Jwt.verify(publicKey, token, 0).scope()).isEqualTo(Scope.ADMIN);

        // The same key again, now existing, signs a tenant token.
        out.getBuffer().setLength(0);
        assertThat(run("generate-jwt", "--scope", "tenant", "--tenant-id", TENANT, "--private-key", key.toString()))
                .isZero();
        Claims claims = Jwt.verify(publicKey, out.toString().strip(), 0);
        assertThat(claims.permits(Optional.of(TenantId.parse(TENANT)), Scope.TENANT))
                .isTrue();
        assertThat(claims.permits(Optional.of(TenantId.parse("00000000000000000000000000000001")), Scope.TENANT))
                .isFalse();
    }

    @Test
    void aForeignKeyDoesNotVerifyTheToken() throws IOException {
        Path key = dir.resolve("auth_private_key.pem");
        Files.writeString(key, Jwt.generatePem().get("private"));
        assertThat(run("generate-jwt", "--scope", "pageserverapi", "--private-key", key.toString()))
                .isZero();
        var other = Jwt.publicKey(Jwt.generatePem().get("public"));
        assertThatThrownBy(() -> Jwt.verify(other, out.toString().strip(), 0)).isInstanceOf(XenonException.class);
    }

    @Test
    void badUsageIsOneLineAndNonZero() throws IOException {
        Path key = dir.resolve("auth_private_key.pem");
        assertThat(run("generate-jwt", "--scope", "root", "--private-key", key.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("'root' is not a scope");

        err.getBuffer().setLength(0);
        assertThat(run("generate-jwt", "--scope", "admin", "--private-key", key.toString()))
                .isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("xenon: no private key at " + key);

        err.getBuffer().setLength(0);
        assertThat(run("generate-jwt", "--scope", "tenant", "--private-key", key.toString()))
                .isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("xenon: --scope tenant needs --tenant-id");

        Files.writeString(key, "not a key");
        err.getBuffer().setLength(0);
        assertThat(run("generate-jwt", "--scope", "admin", "--private-key", key.toString()))
                .isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("xenon: private key: not an Ed25519 private key");

        err.getBuffer().setLength(0);
        assertThat(run("generate-jwt", "--scope", "admin", "--private-key", key.toString(), "--new-key-pair"))
                .isEqualTo(2);
        assertThat(err.toString().strip()).contains("exists already");
        assertThat(Files.readString(key)).isEqualTo("not a key");
        assertThat(out.toString()).isEmpty();
    }
}
