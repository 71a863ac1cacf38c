package io.xenondb.shared.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that bad text is refused with the typed error that names the bad value and the field. */
public final class Malformed {
    private Malformed() {}

    public static void assertRejected(Function<String, ?> parser, String text, ErrorCode code, String field) {
        ThrowingCallable call = () -> parser.apply(text);
        assertThatThrownBy(call)
                .as("parsing %s", text)
                .isInstanceOf(XenonException.class)
                .satisfies(e -> {
                    XenonException x = (XenonException) e;
                    org.assertj.core.api.Assertions.assertThat(x.code()).isEqualTo(code);
                    org.assertj.core.api.Assertions.assertThat(x.getMessage())
                            .startsWith(field + ": " + (text == null ? "null" : text) + " (expected: ");
                });
    }
}
