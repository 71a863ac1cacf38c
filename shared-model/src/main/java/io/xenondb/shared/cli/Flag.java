package io.xenondb.shared.cli;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One command-line flag of a service: {@code --name <value>} or, without a value name, a switch
 * ({@code --name} means true). The name is also the Spring property it sets, so it is lower-case and dashed.
 *
 * @param name the long name without dashes, e.g. {@code listen-addr}
 * @param shortName a one-letter alias ({@code -l}) or {@code null}
 * @param valueName what the value looks like in help text ({@code host:port}), or {@code null} for a switch
 * @param defaultValue the default as shown in help text, or {@code null} when there is none
 * @param help one line saying what the flag does
 */
public record Flag(String name, Character shortName, String valueName, String defaultValue, String help) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public Flag {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("flag name: " + name + " (expected: lower-case words joined by '-')");
        }
        if (shortName != null && !Character.isLetter(shortName)) {
            throw new IllegalArgumentException("short flag: " + shortName + " (expected: a letter)");
        }
    }

    /** A flag that takes a value. */
    public static Flag value(String name, String valueName, String defaultValue, String help) {
        return new Flag(name, null, Objects.requireNonNull(valueName, "valueName"), defaultValue, help);
    }

    /** A switch: present means true; {@code --name=false} is also accepted. */
    public static Flag toggle(String name, String help) {
        return new Flag(name, null, null, "false", help);
    }

    /** The same flag with a one-letter alias, e.g. {@code -l} for {@code --listen-addr}. */
    public Flag withShortName(char letter) {
        return new Flag(name, letter, valueName, defaultValue, help);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    /** {@code --name}. */
    public String longForm() {
        return "--" + name;
    }
}
