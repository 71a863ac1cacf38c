package io.xenondb.service.http;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * Request bodies as text, whatever their declared content type (Neon's APIs do not look at it, and {@code curl
 * -d} sends a form type), with a size limit; decoding them is the caller's, so that a malformed body gets the
 * one error mapping of {@link HttpErrors}.
 */
public final class RequestBodies {
    /** Larger than any body of the nodes' APIs by far. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private RequestBodies() {}

    /** The body as text, at most {@link #MAX_BODY_BYTES}; empty if there is none. */
    public static Mono<String> text(ServerHttpRequest http) {
        return DataBufferUtils.join(http.getBody(), MAX_BODY_BYTES)
                .map(buffer -> {
                    try {
                        return buffer.toString(StandardCharsets.UTF_8);
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .onErrorMap(
                        DataBufferLimitException.class,
                        e -> new XenonException(
                                ErrorCode.INVALID_ARGUMENT,
                                "body: over " + MAX_BODY_BYTES + " bytes (expected: a small JSON object)"));
    }

    /** The body as text; INVALID_ARGUMENT naming {@code expected} if there is none. */
    public static Mono<String> required(ServerHttpRequest http, String expected) {
        return text(http)
                .filter(text -> !text.isBlank())
                .switchIfEmpty(Mono.error(() ->
                        new XenonException(ErrorCode.INVALID_ARGUMENT, "body: missing (expected: " + expected + ")")));
    }
}
