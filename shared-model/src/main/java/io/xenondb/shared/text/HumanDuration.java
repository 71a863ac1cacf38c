package io.xenondb.shared.text;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Neon writes them (Rust's humantime): a sum of number-unit pairs such as {@code "7 days"},
 * {@code "10m"}, {@code "1h 30m"}, {@code "500ms"}, {@code "0s"}.
 */
public final class HumanDuration {
    private static final Pattern PART = Pattern.compile("\\s*(\\d+)\\s*([a-zA-Z]+)");
    private static final Map<String, Duration> UNITS = Map.ofEntries(
            Map.entry("ns", Duration.ofNanos(1)),
            Map.entry("nsec", Duration.ofNanos(1)),
            Map.entry("us", Duration.ofNanos(1000)),
            Map.entry("usec", Duration.ofNanos(1000)),
            Map.entry("ms", Duration.ofMillis(1)),
            Map.entry("msec", Duration.ofMillis(1)),
            Map.entry("millis", Duration.ofMillis(1)),
            Map.entry("s", Duration.ofSeconds(1)),
            Map.entry("sec", Duration.ofSeconds(1)),
            Map.entry("secs", Duration.ofSeconds(1)),
            Map.entry("second", Duration.ofSeconds(1)),
            Map.entry("seconds", Duration.ofSeconds(1)),
            Map.entry("m", Duration.ofMinutes(1)),
            Map.entry("min", Duration.ofMinutes(1)),
            Map.entry("mins", Duration.ofMinutes(1)),
            Map.entry("minute", Duration.ofMinutes(1)),
            Map.entry("minutes", Duration.ofMinutes(1)),
            Map.entry("h", Duration.ofHours(1)),
            Map.entry("hr", Duration.ofHours(1)),
            Map.entry("hrs", Duration.ofHours(1)),
            Map.entry("hour", Duration.ofHours(1)),
            Map.entry("hours", Duration.ofHours(1)),
            Map.entry("d", Duration.ofDays(1)),
            Map.entry("day", Duration.ofDays(1)),
            Map.entry("days", Duration.ofDays(1)),
            Map.entry("w", Duration.ofDays(7)),
            Map.entry("week", Duration.ofDays(7)),
            Map.entry("weeks", Duration.ofDays(7)));

    private HumanDuration() {}

    /**
     * Parses {@code text}.
     *
     * @throws XenonException INVALID_ARGUMENT naming the text if it is not a humantime duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text);
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            Duration unit = UNITS.get(m.group(2).toLowerCase(java.util.Locale.ROOT));
            if (unit == null) {
                throw invalid(text);
            }
            try {
                total = total.plus(unit.multipliedBy(Long.parseLong(m.group(1))));
            } catch (ArithmeticException | NumberFormatException e) {
                throw invalid(text);
            }
            at = m.end();
        }
        if (!text.substring(at).isBlank()) {
            throw invalid(text);
        }
        return total;
    }

    private static XenonException invalid(String text) {
        return new XenonException(
                ErrorCode.INVALID_ARGUMENT,
                "'" + text + "' is not a duration (expected: humantime such as \"7 days\", \"10m\", \"1h 30m\")");
    }
}
