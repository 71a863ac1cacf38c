package io.xenondb.compute.start;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Properties;

/**
 * A pristine copy of the image files a compute was last started from (its base backup without WAL), so the next
 * start asks only for what changed since ({@code since_image_lsn}). Layout: {@code image/} (the files) and
 * {@value #MANIFEST} (tenant, timeline, image LSN and id), written last: without it the cache is empty. The copy is
 * never what PostgreSQL runs on: it changes its data directory in place.
 */
public final class ImageCache {
    static final String MANIFEST = "image_cache.properties";

    /** What the cache holds: the image {@code imageLsn}/{@code imageId} of {@code timeline}'s history. */
    public record State(TenantShardId tenant, TimelineId timeline, Lsn imageLsn, String imageId) {}

    private final Path dir;

    public ImageCache(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    Path files() {
        return dir.resolve("image");
    }

    /** What the cache holds; empty when it holds nothing usable (absent, half-written or unreadable). */
    public Optional<State> state() {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest) || !Files.isDirectory(files())) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(manifest)) {
            p.load(in);
            return Optional.of(new State(
                    TenantShardId.parse(p.getProperty("tenant")),
                    TimelineId.parse(p.getProperty("timeline")),
                    Lsn.parse(p.getProperty("image_lsn")),
                    requireText(p.getProperty("image_id"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged cache only costs a whole base backup
        }
    }

    /** The held image, if it is one of {@code timeline} of {@code tenant}. */
    Optional<State> stateFor(TenantShardId tenant, TimelineId timeline) {
        return state().filter(s -> s.tenant().equals(tenant) && s.timeline().equals(timeline));
    }

    /** Copies the held image's files into {@code dataDir}. */
    void copyTo(Path dataDir) throws IOException {
        copyTree(files(), dataDir);
    }

    /**
     * Makes the cache hold {@code dataDir}'s files (all but the WAL segments) as the image {@code state}: the
     * manifest goes first, so a crash in between leaves an empty cache, never a wrong one.
     */
    void replaceFrom(Path dataDir, State state) throws IOException {
        clear();
        Files.createDirectories(dir);
        copyTree(dataDir, files());
        Properties p = new Properties();
        p.setProperty("tenant", state.tenant().toString());
        p.setProperty("timeline", state.timeline().toString());
        p.setProperty("image_lsn", state.imageLsn().toString());
        p.setProperty("image_id", state.imageId());
        Path temp = dir.resolve(MANIFEST + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            p.store(out, "the image whose files are in image/");
        }
        Files.move(temp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Empties the cache. */
    public void clear() throws IOException {
        Files.deleteIfExists(dir.resolve(MANIFEST));
        deleteTree(files());
    }

    private static String requireText(String text) {
        if (text == null || text.isBlank()) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "image cache image_id: missing");
        }
        return text;
    }

    /** Copies a data directory tree, without the WAL segments (pg_wal/ and its directories stay). */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                String rel = from.relativize(f).toString();
                if (!rel.startsWith("pg_wal/") && attrs.isRegularFile()) {
                    Files.copy(f, to.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        FileTrees.deleteRecursively(root);
    }
}
