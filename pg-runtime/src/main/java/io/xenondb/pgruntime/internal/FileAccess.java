package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * File ownership and permission steps that let an unprivileged OS user run PostgreSQL on files a root JVM
 * prepared: hand a data directory to that user, and check that it can reach the directory at all.
 */
public final class FileAccess {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private FileAccess() {}

    /**
     * Gives {@code path} and everything below it to {@code user} (symbolic links themselves, never their
     * targets). Entries already owned by the user are left alone, so this is cheap on a prepared directory.
     */
    public static void chownRecursively(Path path, OsUser user) {
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    chown(dir, user);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    chown(file, user);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new PostgresRuntimeException("cannot give " + path + " to OS user " + user.name() + ": " + e, e);
        }
    }

    /** Gives one file (a link itself, not its target) to {@code user}. */
    public static void chown(Path path, OsUser user) throws IOException {
        int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        if (uid != user.uid()) {
            Files.setAttribute(path, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
        }
        if (gid != user.gid()) {
            Files.setAttribute(path, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Postgres refuses a data directory with group write or any access by others: make it 0700 unless 0750. */
    public static void restrictDataDirectory(Path dataDir) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dataDir);
            if (!perms.equals(OWNER_ONLY) && !perms.equals(PosixFilePermissions.fromString("rwxr-x---"))) {
                Files.setPosixFilePermissions(dataDir, OWNER_ONLY);
            }
        } catch (IOException e) {
            throw new PostgresRuntimeException("cannot set the mode of data directory " + dataDir + ": " + e, e);
        }
    }

    /**
     * Checks that {@code user} can search every ancestor of {@code target}. The one directory
     * {@code fixable} (the parent the caller chose for the data directory) gets o+x when it lacks it; any other
     * blocking ancestor is an error naming it, since widening it would open unrelated files.
     */
    public static void ensureTraversable(Path target, OsUser user, Path fixable) {
        Path absolute = target.toAbsolutePath().normalize();
        for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
            try {
                if (canSearch(dir, user)) {
                    continue;
                }
                if (dir.equals(fixable)) {
                    Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(dir, perms);
                    continue;
                }
                throw new PostgresRuntimeException(target + ": the OS user " + user.name() + " that runs PostgreSQL"
                        + " cannot enter " + dir + " (mode "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)) + ", owner uid "
                        + Files.getAttribute(dir, "unix:uid") + "; expected: every parent directory searchable by "
                        + user.name() + ", e.g. chmod o+x " + dir + ", or a directory elsewhere)");
            } catch (IOException e) {
                throw new PostgresRuntimeException("cannot check access to " + dir + ": " + e, e);
            }
        }
    }

    /** Whether {@code user} has search (x) permission on {@code dir} by the owner, group or other bits. */
    static boolean canSearch(Path dir, OsUser user) throws IOException {
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        int gid = (Integer) Files.getAttribute(dir, "unix:gid");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        if (uid == user.uid()) {
            return perms.contains(PosixFilePermission.OWNER_EXECUTE);
        }
        if (gid == user.gid()) {
            return perms.contains(PosixFilePermission.GROUP_EXECUTE);
        }
        return perms.contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    /** Deletes a tree (links, not their targets), best effort: leftovers of a temporary tree are harmless. */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
