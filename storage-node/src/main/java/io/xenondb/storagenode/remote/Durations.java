package io.xenondb.storagenode.remote;

import java.time.Duration;

/** Neon's short duration text: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
final class Durations {
    private Durations() {}

    /** The duration, or null when the text is not one. */
    static Duration parse(String text) {
        String trimmed = text.strip();
        int digits = 0;
        while (digits < trimmed.length() && Character.isDigit(trimmed.charAt(digits))) {
            digits++;
        }
        if (digits == 0 || digits > 12) {
            return null;
        }
        long amount = Long.parseLong(trimmed.substring(0, digits));
        return switch (trimmed.substring(digits).strip()) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> null;
        };
    }

    /** The shortest exact form: {@code 1h}, {@code 2m}, {@code 30s} or {@code 1500ms}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
