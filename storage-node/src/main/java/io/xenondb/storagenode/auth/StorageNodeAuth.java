package io.xenondb.storagenode.auth;

import io.xenondb.shared.auth.Claims;
import io.xenondb.shared.auth.Jwt;
import io.xenondb.shared.auth.Scope;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;

/**
 * The storage node's rule, as Neon's pageserver's: a token verified with the node's public key, with scope
 * {@code pageserverapi} (or {@code admin}) for anything, or {@code tenant} for requests about its own tenant only.
 * Without a key the node trusts every caller.
 */
public final class StorageNodeAuth {
    private final Optional<PublicKey> key;
    private final Clock clock;

    public StorageNodeAuth(Optional<PublicKey> key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    public boolean enabled() {
        return key.isPresent();
    }

    /**
     * Checks the {@code Authorization} header value of a request about {@code tenant} (empty: node-wide).
     *
     * @throws XenonException UNAUTHENTICATED without a valid token, PERMISSION_DENIED if its scope does not allow it
     */
    public void check(String authorization, Optional<TenantId> tenant) {
        if (key.isEmpty()) {
            return;
        }
        Claims claims =
                Jwt.verify(key.get(), Jwt.bearer(authorization), clock.instant().getEpochSecond());
        if (!claims.permits(tenant, Scope.PAGESERVER_API, Scope.TENANT)) {
            throw new XenonException(
                    ErrorCode.PERMISSION_DENIED,
                    "token scope " + claims.scope()
                            + claims.tenant().map(t -> " for tenant " + t).orElse("")
                            + " does not allow this request"
                            + tenant.map(t -> " on tenant " + t).orElse("")
                            + " (expected: pageserverapi, admin, or a tenant token of this tenant)");
        }
    }
}
