package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A tenant shard's attachment generation (Neon's {@code Generation}): an unsigned 32-bit number the controller
 * increments on every attach, suffixed to every remote object a storage node writes so that two attachments
 * never overwrite each other. {@link #NONE} marks objects written before generations existed (no suffix) and
 * orders below every valid generation.
 *
 * <p>JSON is the number; {@link #NONE} has no JSON form in Neon (an absent generation is an absent field) and
 * is written as {@code null}. Text: the decimal number, or {@code none}.
 */
public record Generation(long value) implements Comparable<Generation> {
    public static final Generation NONE = new Generation(-1);

    public static final Generation MAX = new Generation(0xFFFF_FFFFL);

    private static final String FIELD = "generation";
    private static final String EXPECTED = "0..4294967295 or none";
    private static final String SUFFIX_EXPECTED = "8 hex chars";

    public Generation {
        if (value < -1 || value > 0xFFFF_FFFFL) {
            throw IdText.invalid(FIELD, Long.toString(value), EXPECTED);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Generation of(long value) {
        if (value < 0) {
            throw IdText.invalid(FIELD, Long.toString(value), "0..4294967295");
        }
        return new Generation(value);
    }

    /** Parses the decimal number or {@code none}. */
    public static Generation parse(String text) {
        if ("none".equals(text)) {
            return NONE;
        }
        return new Generation(IdText.parseDecimal(text, 0xFFFF_FFFFL, FIELD, EXPECTED));
    }

    public boolean isNone() {
        return value == -1;
    }

    /**
     * The remote object-name suffix: {@code -<gen:08x>} (e.g. {@code -0000000a}), or {@code ""} for
     * {@link #NONE}, as in {@code index_part.json-0000000a}.
     */
    public String suffix() {
        if (isNone()) {
            return "";
        }
        StringBuilder out = new StringBuilder(9).append('-');
        IdText.appendHex(out, value, 8);
        return out.toString();
    }

    /**
     * Parses the part of an object name after the {@code -}: 8 hex chars (either case). Neon reads any u32 hex
     * here; Xenon reads only the 8-char form it and Neon write.
     */
    public static Generation parseSuffix(String hex) {
        if (hex == null || hex.length() != 8) {
            throw IdText.invalid(FIELD, hex, SUFFIX_EXPECTED);
        }
        return new Generation(IdText.parseHex(hex, 0, 8, FIELD, SUFFIX_EXPECTED));
    }

    /** The next generation; {@link #NONE} is followed by 1, as in Neon. */
    public Generation next() {
        if (isNone()) {
            return new Generation(1);
        }
        if (value == MAX.value) {
            throw IdText.invalid(FIELD, toString(), "a generation below " + MAX.value + " to increment");
        }
        return new Generation(value + 1);
    }

    /** The previous generation; 0 and {@link #NONE} are preceded by {@link #NONE}, as in Neon. */
    public Generation previous() {
        return value <= 0 ? NONE : new Generation(value - 1);
    }

    /** The JSON number, or null for {@link #NONE}. */
    @JsonValue
    public Long jsonValue() {
        return isNone() ? null : value;
    }

    @Override
    public String toString() {
        return isNone() ? "none" : Long.toString(value);
    }

    @Override
    public int compareTo(Generation other) {
        return Long.compare(value, other.value);
    }
}
