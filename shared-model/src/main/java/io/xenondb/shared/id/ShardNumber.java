package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A shard's 0-based number within its tenant, an unsigned byte (0..255); JSON is a number as in Neon. */
public record ShardNumber(int value) implements Comparable<ShardNumber> {
    public static final ShardNumber ZERO = new ShardNumber(0);

    private static final String FIELD = "shard_number";
    private static final String EXPECTED = "0..255";

    public ShardNumber {
        if (value < 0 || value > 255) {
            throw IdText.invalid(FIELD, Integer.toString(value), EXPECTED);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ShardNumber of(int value) {
        return new ShardNumber(value);
    }

    /** Parses the decimal form. */
    public static ShardNumber parse(String text) {
        return new ShardNumber((int) IdText.parseDecimal(text, 255, FIELD, EXPECTED));
    }

    @JsonValue
    public int jsonValue() {
        return value;
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }

    @Override
    public int compareTo(ShardNumber other) {
        return Integer.compare(value, other.value);
    }
}
