package io.xenondb.shared.cli;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The declared flags of one service, and the step that turns a Neon-style command line ({@code --flag value},
 * {@code -l value}, {@code --switch}) into the only form Spring reads ({@code --flag=value}). Anything not declared
 * is refused with one line naming it, so a typo never silently falls back to a default.
 */
public final class CommandLineFlags {
    private final String program;
    private final Map<String, Flag> byName = new LinkedHashMap<>();
    private final Map<Character, Flag> byShortName = new HashMap<>();

    public CommandLineFlags(String program, List<Flag> flags) {
        this.program = program;
        for (Flag flag : flags) {
            if (byName.putIfAbsent(flag.name(), flag) != null || flag.name().equals("help")) {
                throw new IllegalArgumentException("flag declared twice: " + flag.longForm());
            }
            if (flag.shortName() != null && byShortName.putIfAbsent(flag.shortName(), flag) != null) {
                throw new IllegalArgumentException("short flag declared twice: -" + flag.shortName());
            }
        }
    }

    public List<Flag> flags() {
        return List.copyOf(byName.values());
    }

    /** True when the command line asks for help ({@code --help} or {@code -h}). */
    public boolean wantsHelp(String... args) {
        for (String arg : args) {
            if (arg.equals("--help") || (arg.equals("-h") && !byShortName.containsKey('h'))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rewrites {@code args} as Spring command-line properties, one {@code --name=value} per flag given.
     *
     * @throws XenonException INVALID_ARGUMENT naming the unknown flag, the flag without its value, the flag given
     *     twice or the stray argument
     */
    public String[] normalize(String... args) {
        List<String> out = new ArrayList<>(args.length);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg == null || !arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw invalid("unexpected argument '" + (arg == null ? "null" : shown(arg)) + "' (expected: flags; see "
                        + program + " --help)");
            }
            int eq = arg.indexOf('=');
            String given = eq < 0 ? arg : arg.substring(0, eq);
            Flag flag = lookup(given);
            if (!seen.add(flag.name())) {
                throw invalid("flag " + flag.longForm() + " is given more than once");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (!flag.takesValue()) {
                value = "true";
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw invalid("flag " + given + " needs a value (expected: " + given + " <" + flag.valueName() + ">)");
            }
            out.add(flag.longForm() + "=" + value);
        }
        return out.toArray(String[]::new);
    }

    /** Help text: one line per flag with its value, default and purpose. */
    public String usage() {
        StringBuilder text = new StringBuilder("Usage: ").append(program).append(" [flags]\n\nFlags:\n");
        for (Flag flag : byName.values()) {
            String form = (flag.shortName() != null ? "-" + flag.shortName() + ", " : "    ")
                    + flag.longForm()
                    + (flag.takesValue() ? " <" + flag.valueName() + ">" : "");
            text.append("  ").append(String.format("%-44s", form)).append(' ').append(flag.help());
            if (flag.defaultValue() != null && flag.takesValue()) {
                text.append(" [default: ").append(flag.defaultValue()).append(']');
            }
            text.append('\n');
        }
        return text.append("  ")
                .append(String.format("%-44s", "-h, --help"))
                .append(" Print this help\n")
                .toString();
    }

    private Flag lookup(String given) {
        Flag flag = null;
        if (given.startsWith("--")) {
            flag = byName.get(given.substring(2));
        } else if (given.length() == 2) {
            flag = byShortName.get(given.charAt(1));
        }
        if (flag == null) {
            String known = byName.values().stream().map(Flag::longForm).collect(Collectors.joining(", "));
            throw invalid("unknown flag " + shown(given) + " (expected one of: " + known + ")");
        }
        return flag;
    }

    private static String shown(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
