package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.protobuf.ByteString;

/**
 * A tenant id: 16 random bytes, written as 32 lower-case hex chars (Neon's form, e.g.
 * {@code 9ef87a5bf0d92544f6fafeeb3239695c}). {@link #parse} also accepts upper-case hex. Ordered as unsigned
 * bytes. The bytes are held as two big-endian longs so that equality and hashing are by value.
 */
public record TenantId(long high, long low) implements Comparable<TenantId> {
    private static final String FIELD = "tenant_id";

    /** A new random id (SecureRandom). */
    public static TenantId generate() {
        long[] v = Id128.random();
        return new TenantId(v[0], v[1]);
    }

    /** Parses 32 hex chars; throws {@code XenonException(INVALID_ID)} naming the text otherwise. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TenantId parse(String text) {
        long[] v = Id128.parse(text, FIELD);
        return new TenantId(v[0], v[1]);
    }

    /** From the 16 raw bytes (e.g. a protobuf {@code bytes tenant_id}). */
    public static TenantId fromBytes(byte[] bytes) {
        long[] v = Id128.fromBytes(bytes, FIELD);
        return new TenantId(v[0], v[1]);
    }

    public static TenantId fromByteString(ByteString bytes) {
        long[] v = Id128.fromByteString(bytes, FIELD);
        return new TenantId(v[0], v[1]);
    }

    /** The 16 raw bytes, most significant first. */
    public byte[] toBytes() {
        return Id128.toBytes(high, low);
    }

    public ByteString toByteString() {
        return ByteString.copyFrom(toBytes());
    }

    @JsonValue
    @Override
    public String toString() {
        return Id128.format(high, low);
    }

    @Override
    public int compareTo(TenantId other) {
        return Id128.compare(high, low, other.high, other.low);
    }
}
