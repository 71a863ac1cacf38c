package io.xenondb.shared.error;

/**
 * What kind of failure an {@link ErrorCode} is. The category alone decides the HTTP and gRPC status, in one
 * place per protocol, so every service answers the same failure the same way.
 */
public enum ErrorCategory {
    /** The caller sent something malformed or out of range (HTTP 400, gRPC INVALID_ARGUMENT). */
    USER_INPUT,
    /** The thing named does not exist (HTTP 404, gRPC NOT_FOUND). */
    NOT_FOUND,
    /** The request clashes with current state (HTTP 409, gRPC ABORTED). */
    CONFLICT,
    /**
     * The request is well-formed, but what it asks for is not (or no longer) possible: e.g. a branch below
     * the garbage-collection cutoff (HTTP 406 as Neon answers it, gRPC FAILED_PRECONDITION).
     */
    NOT_ACCEPTABLE,
    /** The request is valid but cannot be served right now; retrying may help (HTTP 503, gRPC UNAVAILABLE). */
    UNAVAILABLE,
    /** Data read from disk or the wire is damaged (HTTP 500, gRPC DATA_LOSS). */
    CORRUPTION,
    /** No credentials, or credentials that do not verify (HTTP 401, gRPC UNAUTHENTICATED). */
    UNAUTHENTICATED,
    /** Valid credentials that do not allow this request (HTTP 403, gRPC PERMISSION_DENIED). */
    PERMISSION_DENIED,
    /** A bug or an unexpected failure (HTTP 500, gRPC INTERNAL). */
    INTERNAL
}
