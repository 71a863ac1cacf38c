package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;

/**
 * One entry of a {@link TermHistory}: from {@code startLsn} on, WAL was written in {@code term}. Text form
 * {@code <term>@<lsn>}, e.g. {@code 3@0/16B5A50}.
 */
public record TermStart(Term term, Lsn startLsn) {
    private static final String EXPECTED = "<term>@<lsn>, e.g. 3@0/16B5A50, with term >= 1 and a valid lsn";

    public TermStart {
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(startLsn, "startLsn");
        if (term.value() < 1 || !startLsn.isValid()) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "term start: " + term + "@" + startLsn + " (expected: " + EXPECTED + ")");
        }
    }

    public static TermStart of(long term, long startLsn) {
        return new TermStart(Term.of(term), Lsn.of(startLsn));
    }

    /** Parses {@code <term>@<lsn>}. */
    public static TermStart parse(String text) {
        int at = text == null ? -1 : text.indexOf('@');
        if (at <= 0) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "term start: " + text + " (expected: " + EXPECTED + ")");
        }
        return new TermStart(Term.parse(text.substring(0, at)), Lsn.parse(text.substring(at + 1)));
    }

    @Override
    public String toString() {
        return term + "@" + startLsn;
    }
}
