package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks an xz-compressed tar into a directory, keeping symbolic links and execute bits, and making everything
 * readable (and directories and executables searchable) by every user, since an unprivileged OS user runs the
 * binaries. Entries that would land outside the directory are refused.
 */
public final class TxzUnpacker {
    private TxzUnpacker() {}

    /** Unpacks {@code txz} into the existing directory {@code target}; {@code source} names it in errors. */
    public static void unpack(InputStream txz, Path target, String source) {
        Path root = target.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(txz, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = inside(root, entry.getName(), source);
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0755));
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Path link = Path.of(entry.getLinkName());
                    inside(root, path.getParent().resolve(link).normalize().toString(), source);
                    Files.createSymbolicLink(path, link);
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, inside(root, entry.getLinkName(), source));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    int mode = entry.getMode() | 0444;
                    if ((mode & 0100) != 0) {
                        mode |= 0111;
                    }
                    Files.setPosixFilePermissions(path, permissions(mode));
                } // devices and fifos have no place in a binaries archive: skip them
            }
        } catch (IOException e) {
            throw new PostgresRuntimeException("cannot unpack " + source + " into " + target + ": " + e, e);
        }
    }

    private static Path inside(Path root, String name, String source) {
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw new PostgresRuntimeException(
                    source + ": entry '" + name + "' points outside the target (expected: paths inside it)");
        }
        return path;
    }

    /** The permissions of a tar mode, without group or world write: shared binaries stay read-only to others. */
    static Set<PosixFilePermission> permissions(int tarMode) {
        int mode = tarMode & 0755;
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE
        };
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (0400 >> bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        return perms;
    }
}
