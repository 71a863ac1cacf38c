package io.xenondb.pgruntime;

/**
 * A failure of the PostgreSQL runtime: bad input, a binary that failed, a cluster that did not start or stop.
 * The message names what was given or run, what was expected, and (for a failed process) its exit code and the
 * tail of its log. pg-runtime cannot depend on shared-model, so callers translate this into their own error type.
 */
public class PostgresRuntimeException extends RuntimeException {
    public PostgresRuntimeException(String message) {
        super(message);
    }

    public PostgresRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
