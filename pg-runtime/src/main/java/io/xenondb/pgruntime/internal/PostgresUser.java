package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which OS user runs PostgreSQL binaries. PostgreSQL refuses to run as root, so when this JVM's effective
 * uid is 0 every binary runs as an unprivileged account (default {@code xenon-pg}; override with the system
 * property {@code xenon.pg.os-user} or the environment variable {@code XENON_PG_OS_USER}), created on first use.
 * Otherwise binaries run as the JVM's own user.
 */
public final class PostgresUser {
    public static final String DEFAULT_NAME = "xenon-pg";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    // useradd's exit code for "username already in use": another process created it between our check and ours.
    private static final int USERADD_NAME_IN_USE = 9;

    private static volatile Optional<OsUser> resolved;
    private static volatile Boolean root;

    private PostgresUser() {}

    /** The account to switch to, or empty when the JVM is not root and binaries run as itself. Cached. */
    public static Optional<OsUser> get() {
        Optional<OsUser> user = resolved;
        if (user == null) {
            synchronized (PostgresUser.class) {
                user = resolved;
                if (user == null) {
                    user = isRoot() ? Optional.of(ensureExists(configuredName())) : Optional.empty();
                    resolved = user;
                }
            }
        }
        return user;
    }

    /** Whether this JVM runs with effective uid 0. */
    public static boolean isRoot() {
        Boolean isRoot = root;
        if (isRoot == null) {
            isRoot = effectiveUid() == 0;
            root = isRoot;
        }
        return isRoot;
    }

    /** {@code command} prefixed so that it runs as {@code user} (setpriv execs, so the pid stays the binary's). */
    public static List<String> wrap(Optional<OsUser> user, List<String> command) {
        if (user.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(
                setpriv(),
                "--reuid=" + user.get().uid(),
                "--regid=" + user.get().gid(),
                "--clear-groups",
                "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    static String configuredName() {
        String name = System.getProperty("xenon.pg.os-user");
        if (name == null || name.isBlank()) {
            name = System.getenv("XENON_PG_OS_USER");
        }
        return name == null || name.isBlank() ? DEFAULT_NAME : OsUser.validateName(name.strip());
    }

    /**
     * Looks {@code name} up in the passwd database, creating a system account without home or shell if missing.
     * Creation is serialized within this JVM and, through a file lock, with other JVMs doing the same: concurrent
     * useradd runs for one name were seen to leave a passwd entry that changed after it was read.
     */
    public static synchronized OsUser ensureExists(String name) {
        OsUser.validateName(name);
        Optional<OsUser> existing = lookup(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try (FileChannel lockFile = FileChannel.open(
                        lockDirectory().resolve("xenon-useradd.lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            existing = lookup(name); // another process may have created it while we waited
            if (existing.isPresent()) {
                return existing.get();
            }
            Commands.Result added = Commands.run(
                    List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name),
                    COMMAND_TIMEOUT);
            if (!added.succeeded() && added.exitCode() != USERADD_NAME_IN_USE) {
                added.orThrow("cannot create the OS user " + name + " that runs PostgreSQL when the JVM is root");
            }
        } catch (IOException e) {
            throw new PostgresRuntimeException("cannot lock the creation of OS user " + name + ": " + e, e);
        }
        return lookup(name)
                .orElseThrow(() -> new PostgresRuntimeException(
                        "OS user " + name + ": useradd reported success but getent passwd does not find it"));
    }

    private static Path lockDirectory() {
        Path runLock = Path.of("/run/lock");
        return Files.isDirectory(runLock) && Files.isWritable(runLock) ? runLock : Path.of("/tmp");
    }

    /** The passwd entry of {@code name}, or empty if there is none. */
    public static Optional<OsUser> lookup(String name) {
        Commands.Result result = Commands.run(List.of("getent", "passwd", name), COMMAND_TIMEOUT);
        if (result.exitCode() == 2) { // getent: key not found
            return Optional.empty();
        }
        result.orThrow("cannot look up the OS user " + name);
        return Optional.of(
                OsUser.parsePasswdLine(result.output().lines().findFirst().orElse("")));
    }

    static long effectiveUid() {
        // /proc/self/status "Uid:" lists real, effective, saved and filesystem uids; the effective one decides.
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // No procfs: ask id(1) below.
        }
        Commands.Result id = Commands.run(List.of("id", "-u"), COMMAND_TIMEOUT).orThrow("cannot tell the uid");
        return Long.parseLong(id.output().strip());
    }

    private static String setpriv() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, "setpriv");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new PostgresRuntimeException("setpriv not found in /usr/bin, /bin, /usr/sbin or /sbin (expected: "
                + "util-linux installed; it runs PostgreSQL as an unprivileged user when the JVM is root)");
    }
}
