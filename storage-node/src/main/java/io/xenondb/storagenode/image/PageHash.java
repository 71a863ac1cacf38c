package io.xenondb.storagenode.image;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 of a page or a whole file: the content address of stored bytes. */
public record PageHash(long h0, long h1, long h2, long h3) {
    /** Bytes of a hash on disk. */
    public static final int BYTES = 32;

    /** The hash of {@code length} bytes of {@code data} from {@code offset}. */
    public static PageHash of(byte[] data, int offset, int length) {
        MessageDigest digest = sha256();
        digest.update(data, offset, length);
        return read(ByteBuffer.wrap(digest.digest()));
    }

    public static PageHash of(byte[] data) {
        return of(data, 0, data.length);
    }

    /** A new SHA-256 digest (for hashing streamed content; finish with {@link #of(MessageDigest)}). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static PageHash of(MessageDigest digest) {
        return read(ByteBuffer.wrap(digest.digest()));
    }

    /** Reads {@value #BYTES} bytes at the buffer's position (big-endian, as printed). */
    public static PageHash read(ByteBuffer buffer) {
        return new PageHash(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }

    /** Parses 64 hex chars. */
    public static PageHash parse(String text) {
        if (text == null || text.length() != 2 * BYTES) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "hash: " + text + " (expected: 64 hex chars of a SHA-256)");
        }
        try {
            return read(ByteBuffer.wrap(HexFormat.of().parseHex(text)));
        } catch (IllegalArgumentException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "hash: " + text + " (expected: 64 hex chars of a SHA-256)");
        }
    }

    public void write(ByteBuffer buffer) {
        buffer.putLong(h0).putLong(h1).putLong(h2).putLong(h3);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(h0) + hex.toHexDigits(h1) + hex.toHexDigits(h2) + hex.toHexDigits(h3);
    }
}
