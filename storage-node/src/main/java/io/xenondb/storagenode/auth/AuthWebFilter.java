package io.xenondb.storagenode.auth;

import io.xenondb.shared.id.TenantId;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Checks tokens on the management API ({@code /v1/...}); {@code /v1/status}, {@code /metrics} and {@code /health}
 * need none. A route under {@code /v1/tenant/<id>} is about that tenant. Failures become 401/403 with
 * {@code {"msg": ...}} through the node's one error handler.
 */
public final class AuthWebFilter implements WebFilter {
    private static final Set<String> OPEN = Set.of("/v1/status");

    private final StorageNodeAuth auth;

    public AuthWebFilter(StorageNodeAuth auth) {
        this.auth = auth;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!auth.enabled() || !path.startsWith("/v1/") || OPEN.contains(path)) {
            return chain.filter(exchange);
        }
        return Mono.fromRunnable(() -> auth.check(
                        exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION), tenantOf(path)))
                .then(chain.filter(exchange));
    }

    /** The tenant a path is about: {@code /v1/tenant/<tenant_shard_id>[/...]}; empty for node-wide routes. */
    static Optional<TenantId> tenantOf(String path) {
        String prefix = "/v1/tenant/";
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return Optional.empty();
        }
        String rest = path.substring(prefix.length());
        String shard = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        String tenant = shard.contains("-") ? shard.substring(0, shard.indexOf('-')) : shard;
        try {
            return Optional.of(TenantId.parse(tenant));
        } catch (RuntimeException e) {
            return Optional.empty(); // a malformed id: the route itself answers 400 once the token passes
        }
    }
}
