package io.xenondb.storagenode.remote;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reader of one TOML inline table, the form of Neon's {@code remote_storage} setting:
 * {@code {key = 'literal', key2 = "basic \"escaped\"", n = 100, flag = true}}. Values are strings, integers
 * ({@link Long}) or booleans; nested tables and arrays are not needed here and are refused.
 */
final class InlineTable {
    private final String what;
    private final String text;
    private int pos;

    private InlineTable(String what, String text) {
        this.what = what;
        this.text = text;
    }

    /** The keys and values in their order; {@code what} names the setting in error messages. */
    static Map<String, Object> parse(String what, String text) {
        if (text == null) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, what + ": null (expected: {key = value, ...})");
        }
        return new InlineTable(what, text).table();
    }

    private Map<String, Object> table() {
        Map<String, Object> values = new LinkedHashMap<>();
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipSpace();
                String key = key();
                skipSpace();
                expect('=');
                skipSpace();
                Object value = value(key);
                if (values.put(key, value) != null) {
                    throw error("key '" + key + "' given twice", "each key once");
                }
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    pos--;
                    throw error("'" + printable(c) + "' after the value of '" + key + "'", "',' or '}'");
                }
            }
        }
        skipSpace();
        if (pos != text.length()) {
            throw error("text after the closing '}'", "nothing after '}'");
        }
        return values;
    }

    private String key() {
        char c = peek();
        if (c == '\'' || c == '"') {
            return string();
        }
        int start = pos;
        while (pos < text.length() && isBareKeyChar(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("'" + printable(c) + "' where a key starts", "a key of A-Za-z0-9_-");
        }
        return text.substring(start, pos);
    }

    private Object value(String key) {
        char c = peek();
        if (c == '\'' || c == '"') {
            return string();
        }
        int start = pos;
        while (pos < text.length() && (isBareKeyChar(text.charAt(pos)) || text.charAt(pos) == '+')) {
            pos++;
        }
        String word = text.substring(start, pos).replace("_", "");
        if (word.equals("true") || word.equals("false")) {
            return Boolean.parseBoolean(word);
        }
        try {
            return Long.parseLong(word);
        } catch (NumberFormatException e) {
            int end = start;
            while (end < text.length() && ",} \t".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            pos = start;
            throw error(
                    "'" + text.substring(start, end) + "' as the value of '" + key + "'",
                    "a quoted string, an integer or true/false");
        }
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("an unterminated string", "a closing " + quote);
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\n' || c == '\r') {
                throw error("a line break inside a string", "a one-line string");
            }
            if (c == '\\' && quote == '"') {
                out.append(escape());
            } else {
                out.append(c);
            }
        }
    }

    private String escape() {
        if (pos >= text.length()) {
            throw error("a '\\' at the end", "an escape such as \\\" or \\\\");
        }
        char c = text.charAt(pos++);
        return switch (c) {
            case '"' -> "\"";
            case '\\' -> "\\";
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            case 'b' -> "\b";
            case 'f' -> "\f";
            case 'u' -> unicode(4);
            case 'U' -> unicode(8);
            default -> throw error("the escape '\\" + printable(c) + "'", "one of \\\" \\\\ \\n \\t \\r \\b \\f \\u");
        };
    }

    private String unicode(int digits) {
        if (pos + digits > text.length()) {
            throw error("a short unicode escape", digits + " hex digits");
        }
        try {
            int code = Integer.parseInt(text.substring(pos, pos + digits), 16);
            pos += digits;
            return Character.toString(code);
        } catch (IllegalArgumentException e) {
            throw error("a bad unicode escape", digits + " hex digits of a code point");
        }
    }

    private void skipSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("the end of the text", "more of the table");
        }
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + printable(text.charAt(pos)) + "'", "'" + c + "'");
        }
        pos++;
    }

    private static boolean isBareKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String printable(char c) {
        return c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private XenonException error(String found, String expected) {
        return new XenonException(
                ErrorCode.INVALID_ARGUMENT,
                // The text itself is left out: it may hold a secret key.
                what + ": " + found + " at char " + pos + " (expected: " + expected + ")");
    }
}
