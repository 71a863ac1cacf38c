package io.xenondb.service.http;

import io.xenondb.shared.error.XenonException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers every failed HTTP request with {@link HttpErrors}' status and {@code {"msg": "..."}}, ahead of Spring's
 * own error pages, so that no route, not even an unknown one, answers in another form.
 */
public final class HttpErrorHandler implements WebExceptionHandler, Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorHandler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        HttpErrors.Answer answer = HttpErrors.answer(failure);
        String request =
                exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath();
        String msg = answer.msg();
        if (failure instanceof ResponseStatusException) {
            msg = request + ": " + msg; // Spring's reasons (no route, wrong method) do not say which request
        }
        if (answer.isServerFault() && !(failure instanceof XenonException)) {
            LOG.error("{} failed: {}", request, answer.msg(), failure);
        } else if (answer.isServerFault()) {
            // A typed answer (a node did not answer, not ready yet): the message says it all, no stack needed.
            LOG.warn("{} answered {}: {}", request, answer.status().value(), msg);
        } else {
            LOG.debug("{} refused with {}: {}", request, answer.status(), msg);
        }
        byte[] body = JSON.writeValueAsBytes(Map.of("msg", msg));
        response.setStatusCode(answer.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /** Before Spring's DefaultErrorWebExceptionHandler (-1) and ResponseStatusExceptionHandler (0). */
    @Override
    public int getOrder() {
        return -2;
    }
}
