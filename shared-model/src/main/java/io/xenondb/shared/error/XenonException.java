package io.xenondb.shared.error;

import java.util.Objects;

/**
 * The one exception type Xenon code throws for expected failures. The message says what was given and what
 * was expected, e.g. {@code "lsn: 0/ZZ (expected: X/X hex)"}.
 */
public class XenonException extends RuntimeException {
    private final ErrorCode code;

    public XenonException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public XenonException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorCategory category() {
        return code.category();
    }
}
