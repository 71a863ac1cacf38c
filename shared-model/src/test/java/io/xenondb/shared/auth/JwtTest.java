package io.xenondb.shared.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JwtTest {
    private static final Map<String, String> KEYS = Jwt.generatePem();
    private static final PublicKey PUBLIC = Jwt.publicKey(KEYS.get("public"));
    private static final PrivateKey PRIVATE = Jwt.privateKey(KEYS.get("private"));

    @Test
    void mintedTokensVerifyWithTheirClaims() {
        TenantId tenant = TenantId.generate();
        assertThat(Jwt.verify(PUBLIC, Jwt.mint(PRIVATE, Claims.tenant(tenant)), 0))
                .isEqualTo(Claims.tenant(tenant));
        assertThat(Jwt.verify(PUBLIC, Jwt.mint(PRIVATE, Claims.of(Scope.PAGESERVER_API)), 0)
                        .scope())
                .isEqualTo(Scope.PAGESERVER_API);
        // Neon's claim names and scope spellings.
        String payload = Jwt.mint(PRIVATE, Claims.tenant(tenant)).split("\\.")[1];
        assertThat(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
                .isEqualTo("{\"scope\":\"tenant\",\"tenant_id\":\"" + tenant + "\"}");
    }

    @Test
    void badTokensAreRefusedSayingWhy() {
        String good = Jwt.mint(PRIVATE, Claims.of(Scope.ADMIN));
        PublicKey other = Jwt.publicKey(Jwt.generatePem().get("public"));
        String[] parts = good.split("\\.");
        String forged = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"scope\":\"admin\",\"x\":1}".getBytes(StandardCharsets.UTF_8));
        String noneAlg = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        expectRefused(() -> Jwt.verify(other, good, 0), "does not verify");
        expectRefused(() -> Jwt.verify(PUBLIC, parts[0] + "." + forged + "." + parts[2], 0), "does not verify");
        expectRefused(() -> Jwt.verify(PUBLIC, noneAlg + "." + parts[1] + ".", 0), "EdDSA");
        expectRefused(() -> Jwt.verify(PUBLIC, "abc", 0), "not a JWT");
        expectRefused(() -> Jwt.verify(PUBLIC, "a.b!.c", 0), "not base64url");
        expectRefused(() -> Jwt.verify(PUBLIC, "YWJj.YWJj.YWJj", 0), "not JSON");
        expectRefused(() -> Jwt.verify(PUBLIC, null, 0), "not a JWT");
        expectRefused(() -> Jwt.bearer(null), "missing authorization");
        expectRefused(() -> Jwt.bearer("Basic abc"), "not a bearer token");
        assertThat(Jwt.bearer("Bearer " + good)).isEqualTo(good);
        assertThatThrownBy(() -> Jwt.publicKey("not a key"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("public key");
    }

    @Test
    void scopesPermitAsNeonsDo() {
        TenantId mine = TenantId.generate();
        TenantId other = TenantId.generate();
        assertThat(Claims.of(Scope.ADMIN).permits(Optional.of(other), Scope.PAGESERVER_API))
                .isTrue();
        assertThat(Claims.tenant(mine).permits(Optional.of(mine), Scope.TENANT, Scope.PAGESERVER_API))
                .isTrue();
        assertThat(Claims.tenant(mine).permits(Optional.of(other), Scope.TENANT, Scope.PAGESERVER_API))
                .isFalse();
        assertThat(Claims.tenant(mine).permits(Optional.empty(), Scope.TENANT, Scope.PAGESERVER_API))
                .isFalse();
        assertThat(Claims.of(Scope.SAFEKEEPER_DATA).permits(Optional.of(mine), Scope.PAGESERVER_API))
                .isFalse();
        assertThatThrownBy(() -> Scope.parse("root")).isInstanceOf(XenonException.class);
    }

    private static void expectRefused(Runnable call, String why) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED))
                .hasMessageContaining(why);
    }
}
