package io.xenondb.storagenode.image;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Set;

/** Paths inside an image, and which files of a running data directory never belong in one. */
public final class ImagePaths {
    /** Directories kept (PostgreSQL needs them) but without what they hold. */
    public static final Set<String> EMPTIED = Set.of(
            "pg_wal",
            "pg_replslot",
            "pg_stat_tmp",
            "pg_dynshmem",
            "pg_notify",
            "pg_serial",
            "pg_snapshots",
            "pg_subtrans");

    /** Top-level files of a live server that are not part of the database. */
    public static final Set<String> RUNTIME_FILES = Set.of(
            "postmaster.pid",
            "postmaster.opts",
            "standby.signal",
            "recovery.signal",
            "backup_label.old",
            "tablespace_map.old",
            "current_logfiles");

    private ImagePaths() {}

    /**
     * Whether {@code rel} (a path inside a data directory) belongs in an image taken from it: not the contents of
     * {@link #EMPTIED} directories, not {@link #RUNTIME_FILES}, sockets, relcache init files or temp files.
     */
    public static boolean belongsInImage(String rel) {
        int slash = rel.indexOf('/');
        if (slash > 0 && EMPTIED.contains(rel.substring(0, slash))) {
            return false;
        }
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        return !RUNTIME_FILES.contains(rel)
                && !name.startsWith(".s.PGSQL.")
                && !name.equals("pg_internal.init")
                && !name.startsWith("pgsql_tmp");
    }

    /** Checks a relative, '/'-separated path without '.', '..' or empty parts. */
    public static String check(String path) {
        boolean ok = path != null && !path.isEmpty() && !path.startsWith("/") && !path.endsWith("/");
        if (ok) {
            for (String part : path.split("/", -1)) {
                ok &= !part.isEmpty() && !part.equals(".") && !part.equals("..") && part.indexOf('\0') < 0;
            }
        }
        if (!ok) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "image path: " + path + " (expected: a relative path such as base/5/1259, without '..')");
        }
        return path;
    }
}
