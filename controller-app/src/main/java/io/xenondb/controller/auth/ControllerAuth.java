package io.xenondb.controller.auth;

import io.xenondb.shared.auth.Claims;
import io.xenondb.shared.auth.Jwt;
import io.xenondb.shared.auth.Scope;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;

/**
 * The controller's rule, as Neon's {@code check_permissions}: a token verified with the controller's public key
 * whose scope is exactly the one the route needs ({@link RouteScopes}), or {@code admin}. Without a key (dev mode
 * only) every caller is trusted.
 */
public final class ControllerAuth {
    private final Optional<PublicKey> key;
    private final RouteScopes routes;
    private final Clock clock;

    public ControllerAuth(Optional<PublicKey> key, RouteScopes routes, Clock clock) {
        this.key = key;
        this.routes = routes;
        this.clock = clock;
    }

    public boolean enabled() {
        return key.isPresent();
    }

    /**
     * Checks a request's {@code Authorization} header value.
     *
     * @throws XenonException UNAUTHENTICATED without a valid token, PERMISSION_DENIED when its scope is not the
     *     route's
     */
    public void check(HttpMethod method, PathContainer path, String authorization) {
        if (key.isEmpty()) {
            return;
        }
        Optional<Scope> required = routes.required(method, path);
        if (required.isEmpty()) {
            return;
        }
        Claims claims =
                Jwt.verify(key.get(), Jwt.bearer(authorization), clock.instant().getEpochSecond());
        Scope scope = claims.scope();
        if (scope != required.get() && scope != Scope.ADMIN) {
            throw new XenonException(
                    ErrorCode.PERMISSION_DENIED,
                    "token scope " + scope + " does not allow " + method + " " + path.value() + " (expected: "
                            + required.get() + " or admin)");
        }
    }
}
