package io.xenondb.controller.auth;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Checks every request's token before any route sees it; a refusal becomes 401 or 403 with {@code {"msg"}}
 * through the one error handler.
 */
public final class ControllerAuthFilter implements WebFilter, Ordered {
    private final ControllerAuth auth;

    public ControllerAuthFilter(ControllerAuth auth) {
        this.auth = auth;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!auth.enabled()) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        return Mono.fromRunnable(() -> auth.check(
                        request.getMethod(),
                        request.getPath().pathWithinApplication(),
                        request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION)))
                .then(Mono.defer(() -> chain.filter(exchange)));
    }

    /** Early, so that later filters (rate limits) only ever see authenticated requests. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }
}
