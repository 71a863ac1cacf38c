package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How many consecutive pages of a relation go to one shard before the next stripe is hashed elsewhere, an
 * unsigned 32-bit count of 8 KiB pages; JSON is a number as in Neon. 0 appears only for unsharded tenants
 * whose stripe size was never set; a sharded tenant needs a positive one.
 */
public record ShardStripeSize(long pages) {
    /** Neon's default: 16 MiB of 8 KiB pages ({@code DEFAULT_STRIPE_SIZE} in pageserver_api/src/shard.rs). */
    public static final ShardStripeSize DEFAULT = new ShardStripeSize(2048);

    private static final String FIELD = "stripe_size";
    private static final String EXPECTED = "0..4294967295 pages";

    public ShardStripeSize {
        if (pages < 0 || pages > 0xFFFF_FFFFL) {
            throw IdText.invalid(FIELD, Long.toString(pages), EXPECTED);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ShardStripeSize of(long pages) {
        return new ShardStripeSize(pages);
    }

    /** Parses the decimal form. */
    public static ShardStripeSize parse(String text) {
        return new ShardStripeSize(IdText.parseDecimal(text, 0xFFFF_FFFFL, FIELD, EXPECTED));
    }

    @JsonValue
    public long jsonValue() {
        return pages;
    }

    @Override
    public String toString() {
        return Long.toString(pages);
    }
}
