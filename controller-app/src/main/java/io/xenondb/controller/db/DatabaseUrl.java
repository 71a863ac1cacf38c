package io.xenondb.controller.db;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the controller's PostgreSQL is: {@code postgresql://user[:password]@host[:port]/database}, the libpq URL
 * form Neon's storage controller takes. Used for both R2DBC and Flyway's JDBC.
 *
 * @param password empty when none is given (trust or peer authentication)
 */
public record DatabaseUrl(String host, int port, String user, String password, String database) {
    public static final int DEFAULT_PORT = 5432;
    public static final String DEFAULT_USER = "postgres";
    private static final String EXPECTED = "expected: postgresql://user@host:port/database";

    public DatabaseUrl {
        if (host == null || host.isBlank()) {
            throw invalid("database-url: no host (" + EXPECTED + ")");
        }
        if (port < 1 || port > 65535) {
            throw invalid("database-url: port " + port + " (expected: 1-65535)");
        }
        if (database == null || database.isBlank()) {
            throw invalid("database-url: no database name (" + EXPECTED + ")");
        }
        user = user == null || user.isBlank() ? DEFAULT_USER : user;
        password = password == null ? "" : password;
    }

    /** Parses a {@code postgresql://} (or {@code postgres://}) URL. */
    public static DatabaseUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text == null ? "" : text.strip());
        } catch (URISyntaxException e) {
            throw invalid("database-url: '" + shown(text) + "' is not a URL (" + EXPECTED + ")");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw invalid("database-url: '" + shown(text) + "' (" + EXPECTED + ")");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        return new DatabaseUrl(
                uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), user, password, database);
    }

    /** The JDBC URL of the same database (credentials passed apart). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** The URL without the password, for logs. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String shown(String text) {
        if (text == null) {
            return "";
        }
        // Never echo a password into logs.
        String hidden = text.replaceAll("(//[^:/@]*):[^@]*@", "$1:***@");
        return hidden.length() <= 100 ? hidden : hidden.substring(0, 100) + "...";
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
