package io.xenondb.pgruntime;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Settings for {@code initdb}: the bootstrap superuser, the server encoding, the locale of every category and
 * whether pages carry checksums. The cluster always uses {@code trust} authentication: it listens on 127.0.0.1
 * only, and access control belongs to the layers in front of it.
 */
public record InitdbOptions(String superuser, String encoding, String locale, boolean dataChecksums) {
    private static final Pattern ENCODING = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    // NAMEDATALEN - 1: longer role names are truncated by Postgres, which would surprise the caller later.
    private static final int MAX_NAME_BYTES = 63;

    public InitdbOptions {
        if (superuser == null
                || superuser.isBlank()
                || superuser.indexOf('\0') >= 0
                || superuser.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new PostgresRuntimeException(
                    "superuser: " + describe(superuser) + " (expected: a role name of 1 to 63 bytes)");
        }
        if (encoding == null || !ENCODING.matcher(encoding).matches()) {
            throw new PostgresRuntimeException(
                    "encoding: " + describe(encoding) + " (expected: an encoding name such as UTF8)");
        }
        if (locale == null || !LOCALE.matcher(locale).matches()) {
            throw new PostgresRuntimeException(
                    "locale: " + describe(locale) + " (expected: a locale name such as C or en_US.UTF-8)");
        }
    }

    /** Superuser {@code postgres}, UTF8, locale C, no data checksums. */
    public static InitdbOptions defaults() {
        return new InitdbOptions("postgres", "UTF8", "C", false);
    }

    public InitdbOptions withSuperuser(String superuser) {
        return new InitdbOptions(superuser, encoding, locale, dataChecksums);
    }

    public InitdbOptions withEncoding(String encoding) {
        return new InitdbOptions(superuser, encoding, locale, dataChecksums);
    }

    public InitdbOptions withLocale(String locale) {
        return new InitdbOptions(superuser, encoding, locale, dataChecksums);
    }

    public InitdbOptions withDataChecksums(boolean dataChecksums) {
        return new InitdbOptions(superuser, encoding, locale, dataChecksums);
    }

    private static String describe(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
