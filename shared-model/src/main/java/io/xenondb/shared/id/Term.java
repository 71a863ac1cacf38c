package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A consensus term of a timeline's WAL nodes (Neon's safekeeper term): each election uses a term above every
 * term seen, and a WAL node refuses requests of a term below its own. Neon's is a u64 JSON number; Xenon keeps
 * it within 0..2^63-1. Term 0 means "no term yet".
 */
public record Term(long value) implements Comparable<Term> {
    public static final Term ZERO = new Term(0);

    private static final String FIELD = "term";
    private static final String EXPECTED = "a decimal number 0..9223372036854775807";

    public Term {
        if (value < 0) {
            throw IdText.invalid(FIELD, Long.toUnsignedString(value), EXPECTED);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Term of(long value) {
        return new Term(value);
    }

    /** Parses the decimal form. */
    public static Term parse(String text) {
        return new Term(IdText.parseDecimal(text, Long.MAX_VALUE, FIELD, EXPECTED));
    }

    /** The term a new election uses after this one. */
    public Term next() {
        if (value == Long.MAX_VALUE) {
            throw IdText.invalid(FIELD, toString(), "a term below " + Long.MAX_VALUE + " to increment");
        }
        return new Term(value + 1);
    }

    public boolean isAfter(Term other) {
        return value > other.value;
    }

    public boolean isBefore(Term other) {
        return value < other.value;
    }

    @JsonValue
    public long jsonValue() {
        return value;
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }

    @Override
    public int compareTo(Term other) {
        return Long.compare(value, other.value);
    }
}
