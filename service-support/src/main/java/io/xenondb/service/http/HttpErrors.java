package io.xenondb.service.http;

import io.xenondb.shared.error.ErrorCategory;
import io.xenondb.shared.error.XenonException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.Exceptions;
import tools.jackson.core.JacksonException;

/**
 * The one mapping from failures to HTTP answers ({@code {"msg": "..."}} with a status), as Neon's
 * {@code ApiError}: a {@link XenonException} by its category (bad input 400, unknown 404, conflict 409, not acceptable 406,
 * unavailable 503, damage and bugs 500); unreadable JSON 400 naming what was wrong, with the message of a typed
 * error raised while reading it (Jackson wraps those); Spring's own status exceptions (no route 404, wrong
 * method 405) keep their status; anything else is a bug, answered 500 "internal error" without details.
 */
public final class HttpErrors {
    static final String INTERNAL_MESSAGE = "internal error";

    private HttpErrors() {}

    /** An HTTP error answer. */
    public record Answer(HttpStatusCode status, String msg) {
        /** True when the failure was not the caller's doing and deserves a log line with its stack trace. */
        public boolean isServerFault() {
            return status.is5xxServerError();
        }
    }

    /** The HTTP status of a category. */
    public static HttpStatus status(ErrorCategory category) {
        return switch (category) {
            case USER_INPUT -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case NOT_ACCEPTABLE -> HttpStatus.NOT_ACCEPTABLE;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            case CORRUPTION, INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** The answer to a request that failed with {@code failure}. */
    public static Answer answer(Throwable failure) {
        Throwable t = Exceptions.unwrap(failure);
        XenonException typed = find(t, XenonException.class);
        JacksonException json = find(t, JacksonException.class);
        if (typed != null) {
            // A typed error raised while reading JSON: name the field, unless the message already does.
            String message = typed.getMessage();
            String field = lastField(json);
            if (field != null && !message.startsWith(field + ":")) {
                message = field + ": " + message;
            }
            return new Answer(status(typed.category()), message);
        }
        if (json != null) {
            String field = lastField(json);
            return new Answer(
                    HttpStatus.BAD_REQUEST,
                    "malformed JSON body" + (field == null ? "" : " at " + field) + ": "
                            + firstLine(json.getOriginalMessage()));
        }
        if (t instanceof ResponseStatusException status) {
            String reason = status.getReason() != null ? status.getReason() : status.getMessage();
            return new Answer(status.getStatusCode(), firstLine(reason));
        }
        return new Answer(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_MESSAGE);
    }

    /** The innermost property name of the JSON path the error occurred at, or null. */
    private static String lastField(JacksonException json) {
        if (json == null) {
            return null;
        }
        String field = null;
        for (JacksonException.Reference reference : json.getPath()) {
            if (reference.getPropertyName() != null) {
                field = reference.getPropertyName();
            }
        }
        return field;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
