package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Checks and preparation of a PostgreSQL data directory before initdb or start, and the paths derived from it. */
public final class DataDirectory {
    // sun_path holds 108 bytes including the terminating NUL.
    private static final int MAX_SOCKET_PATH_BYTES = 107;
    // Characters that need no quoting in unix_socket_directories, a comma-separated list.
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9/._+-]+");

    private DataDirectory() {}

    /** The absolute, normalized form of a data directory path; the file system root is refused. */
    public static Path normalize(Path dataDir) {
        if (dataDir == null) {
            throw new PostgresRuntimeException("data directory: null (expected: a directory path)");
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        if (dir.getParent() == null) {
            throw new PostgresRuntimeException("data directory: " + dir + " (expected: a directory below /)");
        }
        return dir;
    }

    /**
     * Makes sure {@code dir} is an empty directory for initdb, creating it (and its parents) if missing.
     *
     * @return whether it was created here, so that a failed initdb can remove it again
     */
    public static boolean createEmpty(Path dir) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new PostgresRuntimeException(
                            "initdb: " + dir + " is not a directory (expected: a missing or empty directory)");
                }
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new PostgresRuntimeException("initdb: data directory " + dir
                                + " is not empty (expected: a missing or empty directory)");
                    }
                }
                return false;
            }
            Files.createDirectories(dir);
            return true;
        } catch (IOException e) {
            throw new PostgresRuntimeException("initdb: cannot create data directory " + dir + ": " + e, e);
        }
    }

    /** Throws unless {@code dir} is an existing data directory of PostgreSQL {@code major} (per PG_VERSION). */
    public static void requireExisting(Path dir, int major, String binaries) {
        if (!Files.isDirectory(dir)) {
            throw new PostgresRuntimeException("open: data directory " + dir
                    + (Files.exists(dir) ? " is not a directory" : " does not exist")
                    + " (expected: an existing PostgreSQL data directory)");
        }
        String version;
        try {
            version = Files.readString(dir.resolve("PG_VERSION"), StandardCharsets.UTF_8)
                    .strip();
        } catch (IOException e) {
            throw new PostgresRuntimeException("open: " + dir + " has no readable PG_VERSION (expected: a PostgreSQL "
                    + major + " data directory)");
        }
        if (!version.equals(Integer.toString(major))) {
            throw new PostgresRuntimeException("open: " + dir + " is a PostgreSQL '" + version + "' data directory"
                    + " (expected: " + major + ", the version of " + binaries + ")");
        }
    }

    /**
     * Makes {@code dir} usable by the OS user that runs Postgres: every ancestor searchable (the parent may get
     * o+x), the directory (with {@code recursive}, everything in it) owned by that user, and mode 0700 or 0750.
     */
    public static void prepare(Path dir, Optional<OsUser> osUser, boolean recursive) {
        if (osUser.isPresent()) {
            OsUser user = osUser.get();
            FileAccess.ensureTraversable(dir, user, dir.getParent());
            if (recursive) {
                FileAccess.chownRecursively(dir, user);
            } else {
                try {
                    FileAccess.chown(dir, user);
                } catch (IOException e) {
                    throw new PostgresRuntimeException(
                            "cannot give " + dir + " to OS user " + user.name() + ": " + e, e);
                }
            }
        }
        FileAccess.restrictDataDirectory(dir);
    }

    /** The log file of a data directory: {@code <dataDir>.log}, next to it, so it survives replacing the directory. */
    public static Path logFile(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".log");
    }

    /**
     * The value for {@code unix_socket_directories}: the data directory itself when the socket path fits
     * sun_path and needs no quoting in the list syntax, else "" (no unix socket; TCP only).
     */
    public static String socketDirectory(Path dir, int port) {
        String path = dir.toString();
        int length = (path + "/.s.PGSQL." + port).getBytes(StandardCharsets.UTF_8).length;
        return length <= MAX_SOCKET_PATH_BYTES && PLAIN_PATH.matcher(path).matches() ? path : "";
    }
}
