package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The id of a storage node or WAL node, issued by the controller. Neon's is a u64 written as a JSON number;
 * Xenon keeps it within 0..2^63-1 so that it is a plain non-negative Java long everywhere.
 */
public record NodeId(long value) implements Comparable<NodeId> {
    private static final String FIELD = "node_id";
    private static final String EXPECTED = "a decimal number 0..9223372036854775807";

    public NodeId {
        if (value < 0) {
            throw IdText.invalid(FIELD, Long.toUnsignedString(value), EXPECTED);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static NodeId of(long value) {
        return new NodeId(value);
    }

    /** Parses the decimal form. */
    public static NodeId parse(String text) {
        return new NodeId(IdText.parseDecimal(text, Long.MAX_VALUE, FIELD, EXPECTED));
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
    public int compareTo(NodeId other) {
        return Long.compare(value, other.value);
    }
}
