package io.xenondb.controller.config;

import io.xenondb.controller.db.DatabaseUrl;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.text.HumanDuration;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The controller's settings, bound from its flags ({@link ControllerFlags}) and environment variables, all
 * validated here so that a bad one stops the start with one line. Numbers and durations are bound as text, so
 * that the message names the flag and the form expected rather than a conversion failure.
 */
@ConfigurationProperties
public record ControllerProperties(
        @DefaultValue(DEFAULT_LISTEN) ListenAddress listen,
        String databaseUrl,
        @DefaultValue("false") boolean dev,
        @DefaultValue(DEFAULT_DEV_DATA_DIR) String devDataDir,
        String publicKey,
        String jwtToken,
        String safekeeperJwtToken,
        String controlPlaneJwtToken,
        String controlPlaneUrl,
        @DefaultValue(DEFAULT_RECONCILER_CONCURRENCY) String reconcilerConcurrency,
        @DefaultValue(DEFAULT_TENANT_RATE_LIMIT) String tenantRateLimit,
        @DefaultValue(DEFAULT_MAX_OFFLINE_INTERVAL) String maxOfflineInterval,
        String splitThreshold,
        @DefaultValue(DEFAULT_HEARTBEAT_INTERVAL) String heartbeatInterval) {
    static final String DEFAULT_LISTEN = "127.0.0.1:1234";
    static final String DEFAULT_DEV_DATA_DIR = ".xenon-controller-db";
    static final String DEFAULT_RECONCILER_CONCURRENCY = "128";
    static final String DEFAULT_TENANT_RATE_LIMIT = "10";
    static final String DEFAULT_MAX_OFFLINE_INTERVAL = "30s";
    static final String DEFAULT_HEARTBEAT_INTERVAL = "5s";

    public ControllerProperties {
        databaseUrl = blankToNull(databaseUrl);
        if (databaseUrl != null) {
            DatabaseUrl.parse(databaseUrl);
        }
        if (devDataDir == null || devDataDir.isBlank()) {
            throw invalid("dev-data-dir: empty (expected: a directory path)");
        }
        try {
            Path.of(devDataDir);
        } catch (InvalidPathException e) {
            throw invalid("dev-data-dir: " + devDataDir + " (expected: a directory path; " + e.getReason() + ")");
        }
        publicKey = blankToNull(publicKey);
        if (publicKey != null) {
            PublicKeys.ed25519(publicKey);
        }
        jwtToken = token("jwt-token", jwtToken);
        safekeeperJwtToken = token("safekeeper-jwt-token", safekeeperJwtToken);
        controlPlaneJwtToken = token("control-plane-jwt-token", controlPlaneJwtToken);
        controlPlaneUrl = blankToNull(controlPlaneUrl);
        if (controlPlaneUrl != null) {
            httpUrl("control-plane-url", controlPlaneUrl);
        }
        number("reconciler-concurrency", reconcilerConcurrency, 1, 10_000);
        number("tenant-rate-limit", tenantRateLimit, 0, 1_000_000);
        Duration offline = duration("max-offline-interval", maxOfflineInterval);
        if (offline.isZero() || offline.isNegative()) {
            throw invalid(
                    "max-offline-interval: " + maxOfflineInterval + " (expected: a positive duration such as 30s)");
        }
        Duration heartbeat = duration("heartbeat-interval", heartbeatInterval);
        if (heartbeat.isZero() || heartbeat.isNegative()) {
            throw invalid("heartbeat-interval: " + heartbeatInterval + " (expected: a positive duration such as 5s)");
        }
        splitThreshold = blankToNull(splitThreshold);
        if (splitThreshold != null) {
            number("split-threshold", splitThreshold, 1, Long.MAX_VALUE);
        }
        if (databaseUrl == null && !dev) {
            throw invalid("database-url: missing (expected: postgresql://user@host:port/db, or --dev for an embedded"
                    + " database)");
        }
        if (publicKey == null && !dev) {
            // Serving the admin API unauthenticated is for development only.
            throw invalid("public-key: missing (expected: an Ed25519 public key PEM file, or its text in env"
                    + " PUBLIC_KEY; or --dev to run without auth)");
        }
    }

    /** The database to use; empty: the embedded one of dev mode. */
    public Optional<DatabaseUrl> database() {
        return Optional.ofNullable(databaseUrl).map(DatabaseUrl::parse);
    }

    /** The key that verifies tokens; empty: no auth (dev mode only). */
    public Optional<PublicKey> publicKeyValue() {
        return Optional.ofNullable(publicKey).map(PublicKeys::ed25519);
    }

    /** The token sent as Bearer on calls to storage nodes. */
    public Optional<String> storageNodeToken() {
        return Optional.ofNullable(jwtToken);
    }

    /** The token sent as Bearer on calls to WAL nodes ({@code --safekeeper-jwt-token}). */
    public Optional<String> walNodeToken() {
        return Optional.ofNullable(safekeeperJwtToken);
    }

    public Path devDataDirPath() {
        return Path.of(devDataDir);
    }

    public int reconcilerConcurrencyValue() {
        return (int) number("reconciler-concurrency", reconcilerConcurrency, 1, 10_000);
    }

    /** Requests per second per tenant; 0: unlimited. */
    public int tenantRateLimitValue() {
        return (int) number("tenant-rate-limit", tenantRateLimit, 0, 1_000_000);
    }

    public Duration maxOfflineIntervalValue() {
        return duration("max-offline-interval", maxOfflineInterval);
    }

    /** How often every registered storage node is asked {@code GET /v1/utilization}. */
    public Duration heartbeatIntervalValue() {
        return duration("heartbeat-interval", heartbeatInterval);
    }

    public Optional<Long> splitThresholdBytes() {
        return Optional.ofNullable(splitThreshold).map(s -> number("split-threshold", s, 1, Long.MAX_VALUE));
    }

    private static long number(String flag, String text, long min, long max) {
        String value = text == null ? "" : text.strip();
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(flag + ": " + text + " (expected: a whole number from " + min + " to " + max + ")");
    }

    private static Duration duration(String flag, String text) {
        try {
            return HumanDuration.parse(text);
        } catch (XenonException e) {
            throw invalid(flag + ": " + text + " (expected: a duration such as 30s, 5m, 1h)");
        }
    }

    private static String token(String flag, String text) {
        String value = blankToNull(text);
        // A JWT is three base64url parts joined by dots; anything else is a pasting mistake.
        if (value != null && !value.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*")) {
            throw invalid(flag + ": not a JWT (expected: header.payload.signature in base64url)");
        }
        return value;
    }

    private static void httpUrl(String flag, String text) {
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw invalid(flag + ": " + text + " (expected: http://host:port or https://host:port)");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
