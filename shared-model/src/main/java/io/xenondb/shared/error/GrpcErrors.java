package io.xenondb.shared.error;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import reactor.core.Exceptions;

/**
 * The one place that maps Xenon errors to gRPC statuses, and back on the client side. A {@link XenonException}
 * keeps its message and travels with its {@link ErrorCode} in the {@link #ERROR_CODE} trailer; anything else is
 * a bug and becomes INTERNAL with a generic message, so internals never reach a caller.
 */
public final class GrpcErrors {
    /** Trailer carrying the {@link ErrorCode} name, so a Xenon client can rebuild the typed error. */
    public static final Metadata.Key<String> ERROR_CODE =
            Metadata.Key.of("xenon-error-code", Metadata.ASCII_STRING_MARSHALLER);

    static final String INTERNAL_MESSAGE = "internal error";

    private static final System.Logger LOG = System.getLogger(GrpcErrors.class.getName());

    private GrpcErrors() {}

    /** The gRPC status code of a category. */
    public static Status.Code code(ErrorCategory category) {
        return switch (category) {
            case USER_INPUT -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            // A clash with the current state, e.g. a stale term or an existing timeline.
            case CONFLICT -> Status.Code.ABORTED;
            // "The system is not in a state required for the operation": Neon's answer to reads and leases
            // below the GC cutoff.
            case NOT_ACCEPTABLE -> Status.Code.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case CORRUPTION -> Status.Code.DATA_LOSS;
            case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /**
     * The status to answer a failed call with. Status exceptions pass through unchanged; a {@link XenonException}
     * (also when wrapped by a future or by Reactor) maps by its category and keeps its message; anything else is
     * logged here and answered with INTERNAL "internal error".
     */
    public static StatusRuntimeException toStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof StatusRuntimeException status) {
            return status;
        }
        if (t instanceof StatusException status) {
            return new StatusRuntimeException(status.getStatus(), status.getTrailers());
        }
        if (t instanceof XenonException xenon) {
            Metadata trailers = new Metadata();
            trailers.put(ERROR_CODE, xenon.code().name());
            return Status.fromCode(code(xenon.category()))
                    .withDescription(xenon.getMessage())
                    .asRuntimeException(trailers);
        }
        LOG.log(System.Logger.Level.ERROR, "unexpected failure answered as gRPC INTERNAL", failure);
        return Status.INTERNAL.withDescription(INTERNAL_MESSAGE).asRuntimeException();
    }

    /**
     * The typed error a client sees for a failed call: the server's {@link ErrorCode} when the trailer names one,
     * else a code by status (UNAVAILABLE, DEADLINE_EXCEEDED and CANCELLED are retryable UNAVAILABLE).
     */
    public static XenonException toXenonException(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof XenonException xenon) {
            return xenon;
        }
        Status status = Status.fromThrowable(t);
        Metadata trailers = Status.trailersFromThrowable(t);
        String message = status.getDescription() != null
                ? status.getDescription()
                : "gRPC " + status.getCode() + (status.getCause() != null ? ": " + status.getCause() : "");
        String name = trailers == null ? null : trailers.get(ERROR_CODE);
        if (name != null) {
            for (ErrorCode code : ErrorCode.values()) {
                if (code.name().equals(name)) {
                    return new XenonException(code, message, t);
                }
            }
        }
        ErrorCode code = switch (status.getCode()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorCode.INVALID_ARGUMENT;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case FAILED_PRECONDITION -> ErrorCode.LSN_NOT_AVAILABLE;
            case UNAUTHENTICATED -> ErrorCode.UNAUTHENTICATED;
            case PERMISSION_DENIED -> ErrorCode.PERMISSION_DENIED;
            case ALREADY_EXISTS, ABORTED -> ErrorCode.CONFLICT;
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, RESOURCE_EXHAUSTED -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
        return new XenonException(code, message, t);
    }

    /** Strips the wrappers futures and Reactor put around a failure; never follows ordinary causes. */
    private static Throwable unwrap(Throwable failure) {
        Throwable t = Exceptions.unwrap(failure);
        while ((t instanceof CompletionException
                        || t instanceof ExecutionException
                        || t instanceof UndeclaredThrowableException)
                && t.getCause() != null) {
            t = Exceptions.unwrap(t.getCause());
        }
        return t;
    }
}
