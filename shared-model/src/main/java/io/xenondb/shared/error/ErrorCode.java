package io.xenondb.shared.error;

/** Stable error codes. Each has one category; never renumber or reuse a name. */
public enum ErrorCode {
    INVALID_LSN(ErrorCategory.USER_INPUT),
    INVALID_ID(ErrorCategory.USER_INPUT),
    INVALID_ARGUMENT(ErrorCategory.USER_INPUT),
    NOT_FOUND(ErrorCategory.NOT_FOUND),
    CONFLICT(ErrorCategory.CONFLICT),
    UNAVAILABLE(ErrorCategory.UNAVAILABLE),
    WAL_CORRUPT(ErrorCategory.CORRUPTION),
    INTERNAL(ErrorCategory.INTERNAL),
    IMAGE_CORRUPT(ErrorCategory.CORRUPTION),
    LSN_NOT_AVAILABLE(ErrorCategory.NOT_ACCEPTABLE),
    UNAUTHENTICATED(ErrorCategory.UNAUTHENTICATED),
    PERMISSION_DENIED(ErrorCategory.PERMISSION_DENIED);

    private final ErrorCategory category;

    ErrorCode(ErrorCategory category) {
        this.category = category;
    }

    public ErrorCategory category() {
        return category;
    }
}
