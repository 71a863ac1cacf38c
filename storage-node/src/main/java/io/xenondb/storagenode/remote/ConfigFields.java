package io.xenondb.storagenode.remote;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Typed access to the fields of a parsed {@code remote_storage} table, naming the field in every error. */
final class ConfigFields {
    private final Map<String, Object> values;

    ConfigFields(Map<String, Object> values) {
        this.values = values;
    }

    void onlyFrom(Set<String> allowed, String kindField) {
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        RemoteStorageConfig.SETTING + "." + key + ": not a field of a " + kindField
                                + " storage (expected one of " + allowed + ")");
            }
        }
    }

    static XenonException invalid(String field, String value, String expected) {
        return new XenonException(
                ErrorCode.INVALID_ARGUMENT,
                RemoteStorageConfig.SETTING + "." + field + ": " + (value == null ? "missing" : "'" + value + "'")
                        + " (expected: " + expected + ")");
    }

    String string(String key) {
        String value = optionalString(key);
        if (value == null) {
            throw invalid(key, null, "a quoted string");
        }
        return value;
    }

    String optionalString(String key) {
        Object value = values.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw invalid(key, value.toString(), "a quoted string");
    }

    long integer(String key, long defaultValue, long min, long max) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Long n && n >= min && n <= max) {
            return n;
        }
        throw invalid(key, value.toString(), "an integer in " + min + ".." + max);
    }

    Duration duration(String key, Duration defaultValue) {
        String text = optionalString(key);
        if (text == null) {
            return defaultValue;
        }
        Duration parsed = Durations.parse(text);
        if (parsed == null || parsed.isZero()) {
            throw invalid(key, text, "a positive duration such as '500ms', '30s', '2m' or '1h'");
        }
        return parsed;
    }
}
