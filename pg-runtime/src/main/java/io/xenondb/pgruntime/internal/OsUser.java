package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.util.regex.Pattern;

/** An OS account by name and numeric ids, as {@code getent passwd} reports it. */
public record OsUser(String name, int uid, int gid) {
    // What useradd accepts on Debian and RHEL, kept conservative since the name also goes on command lines.
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    public OsUser {
        validateName(name);
        if (uid < 0 || gid < 0) {
            throw new PostgresRuntimeException(
                    "OS user " + name + ": uid " + uid + ", gid " + gid + " (expected: non-negative ids)");
        }
    }

    /** Throws unless {@code name} is a portable user name. */
    public static String validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PostgresRuntimeException("OS user name: " + (name == null ? "null" : "'" + name + "'")
                    + " (expected: lower-case letters, digits, '_' or '-', starting with a letter or '_')");
        }
        return name;
    }

    /** Parses one {@code name:password:uid:gid:gecos:home:shell} line of the passwd database. */
    public static OsUser parsePasswdLine(String line) {
        String[] fields = line.strip().split(":", -1);
        if (fields.length < 4) {
            throw new PostgresRuntimeException("passwd entry: '" + line.strip() + "' (expected: name:x:uid:gid:...)");
        }
        try {
            return new OsUser(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
        } catch (NumberFormatException e) {
            throw new PostgresRuntimeException(
                    "passwd entry: '" + line.strip() + "' (expected: numeric uid and gid in fields 3 and 4)");
        }
    }
}
