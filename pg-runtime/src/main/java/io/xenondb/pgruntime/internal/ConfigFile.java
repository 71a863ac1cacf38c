package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings file the runtime owns in a data directory ({@code xenon.conf}), included at the end of
 * {@code postgresql.conf} so that its values win over the ones above (but not over {@code postgresql.auto.conf},
 * which Postgres reads last, nor over the command-line options {@code start} passes). One {@code name = 'value'}
 * line per setting, sorted by name; every value is a quoted string, which Postgres accepts for every type.
 */
public final class ConfigFile {
    public static final String FILE_NAME = "xenon.conf";
    public static final String INCLUDE_LINE = "include_if_exists = '" + FILE_NAME + "'";

    // GUC names: an identifier, or two joined by a dot for extension settings (e.g. neon.pageserver_connstring).
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");
    private static final Pattern LINE = Pattern.compile("\\s*([^\\s=#]+)\\s*=\\s*'((?:[^'\\\\]|''|\\\\.)*)'\\s*");
    private static final Set<String> INCLUDE_DIRECTIVES = Set.of("include", "include_dir", "include_if_exists");
    private static final String HEADER = "# Managed by Xenon (io.xenondb.pgruntime): rewritten on every change.\n";

    private ConfigFile() {}

    /** Throws unless {@code name} is a setting name (and not an include directive). */
    public static String validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PostgresRuntimeException("setting name: " + (name == null ? "null" : "'" + name + "'")
                    + " (expected: letters, digits and '_', optionally prefix.name)");
        }
        if (INCLUDE_DIRECTIVES.contains(name.toLowerCase(Locale.ROOT))) {
            throw new PostgresRuntimeException(
                    "setting name: '" + name + "' (expected: a setting; include directives are not settings)");
        }
        return name;
    }

    /**
     * The value as a quoted configuration-file string: quotes doubled, backslashes escaped, line breaks and tabs
     * as escapes (a raw line break ends the line for Postgres). NUL cannot be represented and is refused.
     */
    public static String quote(String name, String value) {
        if (value == null) {
            throw new PostgresRuntimeException("setting " + name + ": null (expected: a value)");
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> out.append("''");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' ->
                    throw new PostgresRuntimeException(
                            "setting " + name + ": a value containing NUL (expected: text without NUL characters)");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /** Inverse of {@link #quote} for the inner text of a quoted value (as in Postgres's own scanner). */
    public static String unquote(String inner) {
        StringBuilder out = new StringBuilder(inner.length());
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\'' && i + 1 < inner.length() && inner.charAt(i + 1) == '\'') {
                out.append('\'');
                i++;
            } else if (c == '\\' && i + 1 < inner.length()) {
                char next = inner.charAt(++i);
                out.append(
                        switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> next;
                        });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The file's text for {@code settings}: a header, then one line per setting sorted by name. */
    public static String render(Map<String, String> settings) {
        StringBuilder out = new StringBuilder(HEADER);
        new TreeMap<>(settings)
                .forEach((name, value) -> out.append(validateName(name))
                        .append(" = ")
                        .append(quote(name, value))
                        .append('\n'));
        return out.toString();
    }

    /** Parses text written by {@link #render}; blank lines and comments are skipped. */
    public static SortedMap<String, String> parse(String text) {
        SortedMap<String, String> settings = new TreeMap<>();
        int number = 0;
        for (String line : text.lines().toList()) {
            number++;
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                throw new PostgresRuntimeException(
                        FILE_NAME + " line " + number + ": '" + line + "' (expected: name = 'value')");
            }
            settings.put(validateName(matcher.group(1)), unquote(matcher.group(2)));
        }
        return settings;
    }

    /**
     * Merges {@code changes} into the data directory's {@code xenon.conf} (a null value removes the setting),
     * replaces the file atomically, and makes sure {@code postgresql.conf} includes it.
     *
     * @return the files written, so the caller can hand them to the OS user that runs Postgres
     */
    public static Path[] write(Path dataDir, Map<String, String> changes) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            SortedMap<String, String> settings =
                    Files.exists(file) ? parse(Files.readString(file, StandardCharsets.UTF_8)) : new TreeMap<>();
            changes.forEach((name, value) -> {
                validateName(name);
                if (value == null) {
                    settings.remove(name);
                } else {
                    quote(name, value); // refuse before anything is written
                    settings.put(name, value);
                }
            });
            Path temp = dataDir.resolve(FILE_NAME + ".tmp");
            Files.writeString(temp, render(settings), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Path[] {file, ensureIncluded(dataDir)};
        } catch (IOException e) {
            throw new PostgresRuntimeException("cannot write " + file + ": " + e, e);
        }
    }

    /** Appends the include line to {@code postgresql.conf} unless present; creates the file if missing. */
    static Path ensureIncluded(Path dataDir) throws IOException {
        Path conf = dataDir.resolve("postgresql.conf");
        String text = Files.exists(conf) ? Files.readString(conf, StandardCharsets.UTF_8) : "";
        if (text.lines().noneMatch(line -> line.strip().equals(INCLUDE_LINE))) {
            String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
            Files.writeString(
                    conf,
                    text + separator + "\n# Settings managed by Xenon; keep this the last line.\n" + INCLUDE_LINE
                            + "\n",
                    StandardCharsets.UTF_8);
        }
        return conf;
    }
}
