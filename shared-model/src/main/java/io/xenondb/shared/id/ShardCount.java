package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How many shards a tenant has, an unsigned byte (0..255); JSON is a number as in Neon.
 *
 * <p>0 is special: an unsharded tenant in the legacy form whose shard ids and storage paths carry no shard
 * suffix. It has one shard, like count 1, but is a different value: {@code <tenant>} vs {@code <tenant>-0001}.
 */
public record ShardCount(int value) implements Comparable<ShardCount> {
    public static final ShardCount UNSHARDED = new ShardCount(0);

    private static final String FIELD = "shard_count";
    private static final String EXPECTED = "0..255";

    public ShardCount {
        if (value < 0 || value > 255) {
            throw IdText.invalid(FIELD, Integer.toString(value), EXPECTED);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ShardCount of(int value) {
        return new ShardCount(value);
    }

    /** Parses the decimal form. */
    public static ShardCount parse(String text) {
        return new ShardCount((int) IdText.parseDecimal(text, 255, FIELD, EXPECTED));
    }

    /** True for the legacy unsharded value 0. */
    public boolean isUnsharded() {
        return value == 0;
    }

    /** The number of shards the tenant really has: 1 for the unsharded value 0, else the value. */
    public int count() {
        return value == 0 ? 1 : value;
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
    public int compareTo(ShardCount other) {
        return Integer.compare(value, other.value);
    }
}
