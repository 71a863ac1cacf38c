package io.xenondb.controller.config;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Ed25519 public keys in PEM ({@code -----BEGIN PUBLIC KEY-----}), given as the PEM text or a file holding it. */
public final class PublicKeys {
    private PublicKeys() {}

    /** The key in {@code pemOrPath}: PEM text (as env PUBLIC_KEY carries it) or the path of a PEM file. */
    public static PublicKey ed25519(String pemOrPath) {
        String pem = pemOrPath.strip();
        if (!pem.startsWith("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(pem), StandardCharsets.US_ASCII);
            } catch (IOException | InvalidPathException e) {
                throw invalid("public-key: cannot read " + pemOrPath + " (expected: an Ed25519 public key PEM file): "
                        + e.getMessage());
            }
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw invalid("public-key: not an Ed25519 public key in PEM (expected: -----BEGIN PUBLIC KEY----- ...)");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
