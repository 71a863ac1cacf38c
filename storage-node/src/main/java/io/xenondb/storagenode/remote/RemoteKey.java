package io.xenondb.storagenode.remote;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/**
 * The key of one object in remote storage: a relative, {@code /}-separated path such as
 * {@code tenants/<tsid>/timelines/<tl>/index_part.json-00000001}. No empty, {@code .} or {@code ..} segments, no
 * leading or trailing {@code /}, no backslashes or control characters, so that the same key names the same object
 * in a local directory and in a bucket.
 */
public record RemoteKey(String value) implements Comparable<RemoteKey> {
    static final int MAX_LENGTH = 1024;
    private static final String EXPECTED = "a relative /-separated path without empty, '.' or '..' segments";

    public RemoteKey {
        String problem = problem(value, false);
        if (problem != null) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "remote key: " + quote(value) + " (expected: " + EXPECTED + "; " + problem + ")");
        }
    }

    public static RemoteKey of(String value) {
        return new RemoteKey(value);
    }

    /** This key with {@code relative} (itself a valid key) appended after a {@code /}. */
    public RemoteKey resolve(String relative) {
        return new RemoteKey(value + "/" + relative);
    }

    /** The last segment. */
    public String fileName() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    /**
     * Checks a listing prefix: empty (everything), or a key's beginning, which may end with {@code /} or in the
     * middle of a segment ({@code timelines/x/index_part.json-}).
     */
    public static String checkPrefix(String prefix) {
        if (prefix == null) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "remote prefix: null (expected: " + EXPECTED + ")");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        String problem = problem(prefix, true);
        if (problem != null) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "remote prefix: " + quote(prefix) + " (expected: empty or " + EXPECTED + "; " + problem + ")");
        }
        return prefix;
    }

    /** Why {@code text} is not a key (or prefix), or null when it is one. */
    private static String problem(String text, boolean prefix) {
        if (text == null || text.isEmpty()) {
            return "it is empty";
        }
        if (text.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " chars";
        }
        if (text.charAt(0) == '/') {
            return "it is absolute";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return "it has a control character or backslash at " + i;
            }
        }
        String[] segments = text.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.isEmpty() && !(prefix && last)) {
                return "it has an empty segment";
            }
            // The last segment of a prefix may be a part of a name, but "." and ".." are never names.
            if (segment.equals(".") || segment.equals("..")) {
                return "it has a '" + segment + "' segment";
            }
        }
        return null;
    }

    private static String quote(String text) {
        return text == null ? "null" : "'" + text + "'";
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(RemoteKey other) {
        return value.compareTo(other.value);
    }
}
