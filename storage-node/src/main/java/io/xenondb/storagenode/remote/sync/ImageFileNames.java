package io.xenondb.storagenode.remote.sync;

import java.util.Optional;
import java.util.Set;

/**
 * Remote names of image store files: {@code packs/0000000000000001.pack} is {@code images.packs.0000000000000001.pack}
 * (a remote name is one path segment). Only the store's four directories map.
 */
public final class ImageFileNames {
    private static final String PREFIX = "images.";
    private static final Set<String> DIRS = Set.of("packs", "blobs", "pagemaps", "manifests");

    private ImageFileNames() {}

    /** The remote name of the store file {@code relPath} ({@code <dir>/<file>}). */
    public static String remoteName(String relPath) {
        int slash = relPath.indexOf('/');
        if (slash < 0 || !DIRS.contains(relPath.substring(0, slash)) || relPath.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("image store file: " + relPath + " (expected: <dir>/<file>)");
        }
        return PREFIX + relPath.substring(0, slash) + "." + relPath.substring(slash + 1);
    }

    /** The store file a remote name stands for, or empty when it is not an image file's name. */
    public static Optional<String> relPath(String remoteName) {
        if (!remoteName.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = remoteName.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0 || !DIRS.contains(rest.substring(0, dot)) || dot == rest.length() - 1) {
            return Optional.empty();
        }
        String file = rest.substring(dot + 1);
        if (file.equals(".") || file.equals("..")) {
            return Optional.empty();
        }
        return Optional.of(rest.substring(0, dot) + "/" + file);
    }
}
