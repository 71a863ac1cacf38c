package io.xenondb.shared.id;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/** Parsing helpers shared by the id types: strict ASCII hex and decimal, and uniform error messages. */
final class IdText {
    /** Longer input is cut in error messages so a huge bad value cannot flood logs or responses. */
    private static final int MAX_SHOWN = 80;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private IdText() {}

    /** The typed error for a malformed id: {@code "<field>: <text> (expected: <expected>)"}. */
    static XenonException invalid(String field, String text, String expected) {
        return new XenonException(ErrorCode.INVALID_ID, field + ": " + shown(text) + " (expected: " + expected + ")");
    }

    static String shown(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...(" + text.length() + " chars)";
    }

    /** Value of an ASCII hex digit (either case), or -1; unlike Character.digit, never a non-ASCII digit. */
    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Parses {@code text[from, to)}, at most 16 hex digits, or throws {@link #invalid} naming the whole text. */
    static long parseHex(String text, int from, int to, String field, String expected) {
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = hexDigit(text.charAt(i));
            if (digit < 0) {
                throw invalid(field, text, expected);
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    /** Appends {@code value} as exactly {@code digits} lower-case hex digits. */
    static void appendHex(StringBuilder out, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(int) (value >>> shift) & 0xF]);
        }
    }

    /**
     * Parses an unsigned decimal no greater than {@code max}: ASCII digits only, no sign, no spaces, no leading
     * zeros except "0" itself, so that the text form stays canonical.
     */
    static long parseDecimal(String text, long max, String field, String expected) {
        if (text == null || text.isEmpty() || text.length() > 19 || (text.length() > 1 && text.charAt(0) == '0')) {
            throw invalid(field, text, expected);
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(field, text, expected);
            }
            value = value * 10 + (c - '0');
            if (value < 0 || value > max) {
                throw invalid(field, text, expected);
            }
        }
        return value;
    }
}
