package io.xenondb.controller.http;

import io.xenondb.controller.auth.ControllerAuthFilter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --tenant-rate-limit}: every request whose path names a tenant ({@code /v1/tenant/{id}...},
 * {@code /control/v1/tenant/{id}...}, {@code /v1/location_config/{id}}; a shard id counts for its tenant) takes one
 * from that tenant's {@link TenantRateLimiter} bucket; over the limit it is answered 429 {@code {"msg"}} with
 * {@code Retry-After} and goes no further. Runs after auth, so unauthenticated requests never spend a tenant's
 * budget; other paths (health, metrics, nodes) are never limited.
 */
public final class TenantRateLimitFilter implements WebFilter, Ordered {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TENANT_PATH = Pattern.compile(
            "^(?:/control)?/v1/(?:tenant|location_config)/([0-9a-fA-F]{32})(?:-[0-9a-fA-F]{4})?(?:/.*)?$");

    private final TenantRateLimiter limiter;

    public TenantRateLimitFilter(TenantRateLimiter limiter) {
        this.limiter = limiter;
    }

    /** The tenant a path names, lower case, or null. */
    static String tenantOf(String path) {
        Matcher m = TENANT_PATH.matcher(path);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!limiter.enabled()) {
            return chain.filter(exchange);
        }
        String tenant =
                tenantOf(exchange.getRequest().getPath().pathWithinApplication().value());
        if (tenant == null) {
            return chain.filter(exchange);
        }
        TenantRateLimiter.Decision decision = limiter.acquire(tenant);
        if (decision.allowed()) {
            return chain.filter(exchange);
        }
        ServerHttpResponse response = exchange.getResponse();
        byte[] body = JSON.writeValueAsBytes(Map.of(
                "msg",
                "tenant " + tenant + ": over the rate limit of " + limiter.perSecond()
                        + " requests/s (--tenant-rate-limit); retry after " + decision.retryAfterSeconds() + " s"));
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** After {@link ControllerAuthFilter}. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 200;
    }
}
