package io.xenondb.shared.id;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.security.SecureRandom;

/** The 16-byte id form shared by tenant and timeline ids: two big-endian longs, 32 hex chars. */
final class Id128 {
    static final int BYTES = 16;
    static final int HEX_CHARS = 32;
    static final String EXPECTED = "32 hex chars";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Id128() {}

    /** Parses 32 hex chars (either case) into {high, low}. */
    static long[] parse(String text, String field) {
        if (text == null || text.length() != HEX_CHARS) {
            throw IdText.invalid(field, text, EXPECTED);
        }
        return parseAt(text, 0, field, EXPECTED);
    }

    /** Parses the 32 hex chars of {@code whole} at {@code from}; errors name all of {@code whole}. */
    static long[] parseAt(String whole, int from, String field, String expected) {
        return new long[] {
            IdText.parseHex(whole, from, from + 16, field, expected),
            IdText.parseHex(whole, from + 16, from + 32, field, expected)
        };
    }

    static String format(long high, long low) {
        StringBuilder out = new StringBuilder(HEX_CHARS);
        IdText.appendHex(out, high, 16);
        IdText.appendHex(out, low, 16);
        return out.toString();
    }

    static long[] random() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return fromBytes(bytes, "id");
    }

    static long[] fromBytes(byte[] bytes, String field) {
        if (bytes == null || bytes.length != BYTES) {
            throw new XenonException(
                    ErrorCode.INVALID_ID,
                    field + ": " + (bytes == null ? "null" : bytes.length + " bytes") + " (expected: 16 bytes)");
        }
        return new long[] {readLong(bytes, 0), readLong(bytes, 8)};
    }

    static long[] fromByteString(ByteString bytes, String field) {
        return fromBytes(bytes == null ? null : bytes.toByteArray(), field);
    }

    static byte[] toBytes(long high, long low) {
        byte[] bytes = new byte[BYTES];
        writeLong(bytes, 0, high);
        writeLong(bytes, 8, low);
        return bytes;
    }

    /** Byte-wise unsigned order, the order of Neon's {@code [u8; 16]}. */
    static int compare(long high, long low, long otherHigh, long otherLow) {
        int byHigh = Long.compareUnsigned(high, otherHigh);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, otherLow);
    }

    private static long readLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    private static void writeLong(byte[] bytes, int offset, long value) {
        for (int i = offset + 7; i >= offset; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
    }
}
