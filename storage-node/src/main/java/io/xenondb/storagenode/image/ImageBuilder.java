package io.xenondb.storagenode.image;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Collects the files of one new image; nothing of it is visible until {@link #commit}. New pages go into one new
 * pack, pages the store holds already are only referenced. {@link #close()} without a commit throws the new
 * pages away. One builder per store at a time ({@link ImageStore#newImage} waits for the previous one).
 */
public final class ImageBuilder implements AutoCloseable {
    /** Read last: with a backup in progress, the pg_control copied must be no older than any other file. */
    public static final String PG_CONTROL = "global/pg_control";

    /** A staged file: pages (relation segment) or a blob. */
    record Staged(String path, long size, PageHash[] pages, PageHash blob) {}

    private final ImageStore store;
    private final TimelineId timeline;
    private final Lsn lsn;
    private final PackStore.Writer pack;
    private final TreeMap<String, Staged> files = new TreeMap<>();
    private final TreeSet<String> directories = new TreeSet<>();
    // Everything this image refers to, so that a concurrent delete keeps it.
    private final Set<PageHash> referenced = ConcurrentHashMap.newKeySet();
    private boolean finished;

    ImageBuilder(ImageStore store, TimelineId timeline, Lsn lsn, PackStore.Writer pack) {
        this.store = store;
        this.timeline = timeline;
        this.lsn = lsn;
        this.pack = pack;
    }

    public TimelineId timeline() {
        return timeline;
    }

    public Lsn lsn() {
        return lsn;
    }

    /**
     * Adds every directory and regular file under {@code dataDir} whose relative path {@code include} accepts
     * (a rejected directory is skipped with all it holds), {@value #PG_CONTROL} last. Symbolic links (tablespaces)
     * are refused.
     */
    public ImageBuilder addDataDirectory(Path dataDir, Predicate<String> include) {
        requireOpen();
        Path root = dataDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "data directory: " + dataDir + " (expected: a directory)");
        }
        List<Path> deferred = new ArrayList<>();
        try {
            walk(root, root, include, deferred);
            for (Path file : deferred) {
                addFile(relative(root, file), file);
            }
        } catch (IOException e) {
            throw DurableFiles.failure("copying " + dataDir + " into image " + Image.nameOf(timeline, lsn), e);
        }
        return this;
    }

    private void walk(Path root, Path dir, Predicate<String> include, List<Path> deferred) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String rel = relative(root, child);
            if (!include.test(rel)) {
                continue;
            }
            if (Files.isSymbolicLink(child)) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        "data directory entry: " + rel + " is a symbolic link (expected: no tablespaces or links)");
            }
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                directories.add(rel);
                walk(root, child, include, deferred);
            } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                if (rel.equals(PG_CONTROL)) {
                    deferred.add(child);
                } else {
                    addFile(rel, child);
                }
            } // sockets and other special files are not part of a database
        }
    }

    /** Adds (or replaces) a directory. */
    public ImageBuilder addDirectory(String path) {
        requireOpen();
        directories.add(ImagePaths.check(path));
        return this;
    }

    /** Adds (or replaces) a file with the given content, e.g. the {@code backup_label} of pg_backup_stop. */
    public ImageBuilder addFile(String path, byte[] content) {
        requireOpen();
        String rel = ImagePaths.check(path);
        try {
            stage(rel, content.length, new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw DurableFiles.failure("storing " + rel + " of image " + Image.nameOf(timeline, lsn), e);
        }
        return this;
    }

    /** Drops a file added earlier, if any. */
    public ImageBuilder removeFile(String path) {
        requireOpen();
        files.remove(path);
        return this;
    }

    private void addFile(String rel, Path file) throws IOException {
        long size = Files.size(file);
        if (RelationFiles.isRelationSegment(rel) && size % RelationFiles.PAGE_SIZE == 0) {
            files.put(rel, stagePages(rel, file));
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                stage(rel, size, in);
            }
        }
    }

    private void stage(String rel, long size, InputStream in) throws IOException {
        PageHash blob = store.putBlob(in);
        referenced.add(blob);
        files.put(rel, new Staged(rel, size, null, blob));
    }

    private Staged stagePages(String rel, Path file) throws IOException {
        List<PageHash> pages = new ArrayList<>();
        byte[] page = new byte[RelationFiles.PAGE_SIZE];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // Read to the end as it is now: a file that grows or shrinks during a backup is fixed by WAL replay.
            while (readPage(channel, page)) {
                PageHash hash = PageHash.of(page);
                referenced.add(hash); // before the lookup, so a concurrent delete keeps the page
                if (!pack.isPending(hash) && !store.hasPage(hash)) {
                    pack.add(hash, page);
                }
                pages.add(hash);
            }
        }
        return new Staged(rel, (long) pages.size() * RelationFiles.PAGE_SIZE, pages.toArray(PageHash[]::new), null);
    }

    private static boolean readPage(FileChannel channel, byte[] page) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(page);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                return false; // a torn last page is dropped: the file is shorter than it was a moment ago
            }
        }
        return true;
    }

    /**
     * Makes the image durable and visible: pack, blobs, page map, then the manifest. {@code redoLsn} is its
     * backup_label's START WAL LOCATION.
     */
    public Image commit(Lsn redoLsn) {
        requireOpen();
        finished = true;
        try {
            return store.publish(this, redoLsn);
        } finally {
            store.builderDone(this);
        }
    }

    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            pack.close();
        } catch (IOException e) {
            // the temp pack is removed at the next open at the latest
        } finally {
            store.builderDone(this);
        }
    }

    PackStore.Writer pack() {
        return pack;
    }

    TreeMap<String, Staged> stagedFiles() {
        return files;
    }

    TreeSet<String> stagedDirectories() {
        return directories;
    }

    Set<PageHash> referenced() {
        return referenced;
    }

    private void requireOpen() {
        if (finished) {
            throw new XenonException(
                    ErrorCode.CONFLICT, "image " + Image.nameOf(timeline, lsn) + ": already committed or closed");
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString();
    }
}
