package io.xenondb.storagenode.config;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The storage controller this node reports to (Neon's {@code control_plane_api}), bound from
 * {@code --control-plane-api}, {@code --control-plane-api-token} and {@code --availability-zone}. The API is
 * {@code http://host:port} (the upcalls are then under {@code /upcall/v1/}) or a URL with a path, taken as the
 * base the upcall names are appended to ({@code http://host:port/upcall/v1/}).
 */
@ConfigurationProperties
public record ControlPlaneProperties(String controlPlaneApi, String controlPlaneApiToken, String availabilityZone) {
    static final String UPCALLS = "upcall/v1/";

    public ControlPlaneProperties {
        if (controlPlaneApi != null) {
            base(controlPlaneApi);
        }
        if (controlPlaneApiToken != null
                && (controlPlaneApiToken.isBlank()
                        || controlPlaneApiToken.strip().chars().anyMatch(Character::isWhitespace))) {
            throw invalid("control-plane-api-token: blank or with spaces (expected: a JWT)");
        }
        if (availabilityZone != null && availabilityZone.isBlank()) {
            throw invalid("availability-zone: empty (expected: a zone name, e.g. us-east-1a)");
        }
        if (controlPlaneApi == null && (controlPlaneApiToken != null || availabilityZone != null)) {
            throw invalid((controlPlaneApiToken != null ? "control-plane-api-token" : "availability-zone")
                    + ": given without --control-plane-api (expected: both, or neither)");
        }
    }

    /** Where the upcalls go: the base URL {@code re-attach} and {@code validate} are appended to. */
    public Optional<URI> upcallBase() {
        return controlPlaneApi == null ? Optional.empty() : Optional.of(base(controlPlaneApi));
    }

    public Optional<String> token() {
        return Optional.ofNullable(controlPlaneApiToken).map(String::strip);
    }

    public Optional<String> zone() {
        return Optional.ofNullable(availabilityZone).map(String::strip);
    }

    private static URI base(String text) {
        String expected = " (expected: http://host:port, optionally with a path such as /upcall/v1/)";
        String value = text.strip();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid("control-plane-api: " + text + expected);
        }
        if (!"http".equals(uri.getScheme())
                || uri.getHost() == null
                || uri.getPort() <= 0
                || uri.getQuery() != null
                || uri.getFragment() != null
                || uri.getUserInfo() != null) {
            throw invalid("control-plane-api: " + text + expected);
        }
        // The same host:port rules as every other address flag.
        ListenAddress.parseHttpEndpoint("control-plane-api", "http://" + uri.getRawAuthority());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.isEmpty() || path.equals("/")) {
            path = "/" + UPCALLS;
        } else if (!path.endsWith("/")) {
            path = path + "/";
        }
        return URI.create("http://" + uri.getRawAuthority() + path);
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
