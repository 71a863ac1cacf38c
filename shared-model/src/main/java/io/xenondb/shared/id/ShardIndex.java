package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A shard within a tenant: number and count, written as 4 hex chars {@code NNCC} (Neon's ShardIndex and the
 * {@code neon-shard-id} header): {@code 0000} unsharded, {@code 0104} shard 1 of 4. The number is below the
 * count, or 0 when the count is 0 (unsharded). Ordered by number, then count, as in Neon.
 */
public record ShardIndex(ShardNumber number, ShardCount count) implements Comparable<ShardIndex> {
    public static final ShardIndex UNSHARDED = new ShardIndex(ShardNumber.ZERO, ShardCount.UNSHARDED);

    private static final String FIELD = "shard_index";
    static final String EXPECTED = "4 hex chars NNCC, shard number below count, e.g. 0104";

    public ShardIndex {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(count, "count");
        if (number.value() >= count.count()) {
            throw IdText.invalid(FIELD, format(number, count), "shard number below shard count");
        }
    }

    public static ShardIndex of(int number, int count) {
        return new ShardIndex(new ShardNumber(number), new ShardCount(count));
    }

    /** Parses {@code NNCC} (hex, either case). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ShardIndex parse(String text) {
        if (text == null || text.length() != 4) {
            throw IdText.invalid(FIELD, text, EXPECTED);
        }
        int number = (int) IdText.parseHex(text, 0, 2, FIELD, EXPECTED);
        int count = (int) IdText.parseHex(text, 2, 4, FIELD, EXPECTED);
        if (number >= Math.max(count, 1)) {
            throw IdText.invalid(FIELD, text, EXPECTED);
        }
        return of(number, count);
    }

    public boolean isUnsharded() {
        return count.isUnsharded();
    }

    /**
     * The suffix that joins a tenant id into a shard id or a remote storage path: {@code ""} when unsharded
     * (the legacy form), else {@code -NNCC}.
     */
    public String suffix() {
        return isUnsharded() ? "" : "-" + this;
    }

    @JsonValue
    @Override
    public String toString() {
        return format(number, count);
    }

    @Override
    public int compareTo(ShardIndex other) {
        int byNumber = number.compareTo(other.number);
        return byNumber != 0 ? byNumber : count.compareTo(other.count);
    }

    private static String format(ShardNumber number, ShardCount count) {
        StringBuilder out = new StringBuilder(4);
        IdText.appendHex(out, number.value(), 2);
        IdText.appendHex(out, count.value(), 2);
        return out.toString();
    }
}
