package io.xenondb.shared.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import java.util.Optional;

/** What a token grants: a scope, and for {@link Scope#TENANT} the tenant. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Claims(
        @JsonProperty("scope") Scope scope,
        @JsonProperty("tenant_id") TenantId tenantId) {
    public Claims {
        if (scope == null) {
            throw new XenonException(ErrorCode.UNAUTHENTICATED, "token: no scope claim");
        }
        if (scope == Scope.TENANT && tenantId == null) {
            throw new XenonException(ErrorCode.UNAUTHENTICATED, "token: scope tenant without a tenant_id claim");
        }
    }

    public static Claims of(Scope scope) {
        return new Claims(scope, null);
    }

    public static Claims tenant(TenantId tenant) {
        return new Claims(Scope.TENANT, tenant);
    }

    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenantId);
    }

    /**
     * Whether these claims may do what needs one of {@code allowed}, on {@code tenant} if the request names one:
     * {@code admin} passes everywhere; a tenant token only for its own tenant.
     */
    public boolean permits(Optional<TenantId> tenant, Scope... allowed) {
        if (scope == Scope.ADMIN) {
            return true;
        }
        for (Scope s : allowed) {
            if (s == scope) {
                return scope != Scope.TENANT
                        || (tenant.isPresent() && tenant.get().equals(tenantId));
            }
        }
        return false;
    }
}
