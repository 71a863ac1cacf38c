package io.xenondb.shared.auth;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON Web Tokens as Neon uses them: header {@code {"alg":"EdDSA","typ":"JWT"}}, claims {@link Claims}, signed
 * with Ed25519 (the JDK's own implementation); keys are PEM files (public: SPKI, private: PKCS#8), as
 * {@code openssl genpkey -algorithm ed25519} writes them. No expiry is required, as in Neon; an {@code exp} claim,
 * if present, is checked.
 */
public final class Jwt {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER =
            B64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private Jwt() {}

    /** A token with {@code claims}, signed with {@code key}. */
    public static String mint(PrivateKey key, Claims claims) {
        String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
        String signingInput = HEADER + "." + payload;
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "signing a token failed: " + e.getMessage(), e);
        }
    }

    /**
     * The claims of {@code token} if {@code key} verifies it.
     *
     * @throws XenonException UNAUTHENTICATED saying what is wrong: malformed, not EdDSA, bad signature, expired
     */
    public static Claims verify(PublicKey key, String token, long nowEpochSeconds) {
        String[] parts = token == null ? new String[0] : token.strip().split("\\.", -1);
        if (parts.length != 3) {
            throw unauthenticated("token: not a JWT (expected three base64url parts separated by '.')");
        }
        JsonNode header = json(parts[0], "header");
        JsonNode alg = header.get("alg");
        if (alg == null || !"EdDSA".equals(alg.asString())) {
            throw unauthenticated("token: algorithm " + alg + " (expected: EdDSA)");
        }
        byte[] signature = decode(parts[2], "signature");
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(signature)) {
                throw unauthenticated("token: the signature does not verify with this service's public key");
            }
        } catch (GeneralSecurityException e) {
            throw unauthenticated("token: the signature does not verify (" + e.getMessage() + ")");
        }
        JsonNode payload = json(parts[1], "claims");
        JsonNode exp = payload.get("exp");
        if (exp != null && exp.isNumber() && exp.asLong() < nowEpochSeconds) {
            throw unauthenticated("token: expired at " + exp.asLong() + " (epoch seconds)");
        }
        try {
            return JSON.treeToValue(payload, Claims.class);
        } catch (JacksonException | XenonException e) {
            throw unauthenticated("token: claims " + payload + " (expected: a scope and, for tenant tokens, a"
                    + " tenant_id of 32 hex chars)");
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header value. */
    public static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthenticated("missing authorization (expected: Authorization: Bearer <jwt>)");
        }
        String value = authorization.strip();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthenticated("authorization: not a bearer token (expected: Bearer <jwt>)");
        }
        return value.substring(7).strip();
    }

    /** An Ed25519 public key from PEM text ({@code -----BEGIN PUBLIC KEY-----}). */
    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(pemBody(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "public key: not an Ed25519 public key in PEM (" + e.getMessage() + ")");
        }
    }

    /** An Ed25519 private key from PEM text ({@code -----BEGIN PRIVATE KEY-----}). */
    public static PrivateKey privateKey(String pem) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(pemBody(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "private key: not an Ed25519 private key in PEM (" + e.getMessage() + ")");
        }
    }

    /** A new Ed25519 key pair, and its PEM texts ({@code public}, {@code private}). */
    public static Map<String, String> generatePem() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return Map.of(
                    "public", pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                    "private", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBody(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem == null ? -1 : pem.indexOf(begin);
        int to = pem == null ? -1 : pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + begin + " ... " + end + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    private static JsonNode json(String part, String what) {
        try {
            return JSON.readTree(decode(part, what));
        } catch (JacksonException e) {
            throw unauthenticated("token: its " + what + " is not JSON");
        }
    }

    private static byte[] decode(String part, String what) {
        try {
            return B64D.decode(part);
        } catch (IllegalArgumentException e) {
            throw unauthenticated("token: its " + what + " is not base64url");
        }
    }

    private static XenonException unauthenticated(String message) {
        return new XenonException(ErrorCode.UNAUTHENTICATED, message);
    }
}
