package io.xenondb.storagenode.image;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * The images of one tenant, under a root directory: {@code packs/<seq>.pack} (deduplicated relation pages),
 * {@code blobs/<sha256>} (other files, whole), {@code pagemaps/<image>.map} (each relation file's page hashes)
 * and {@code manifests/<image>.json}, written last, which makes an image exist. Every file is written once under
 * a temp name, fsynced and renamed, so a crash leaves either the whole image or none of it; opening the store
 * removes what a crash left behind. Thread-safe: reads run in parallel, changes one at a time.
 */
public final class ImageStore implements AutoCloseable {
    private static final String MANIFESTS = "manifests";
    private static final String PAGE_MAPS = "pagemaps";

    private final Path root;
    private final Clock clock;
    private final PackStore packs;
    private final BlobStore blobs;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Semaphore builderSlot = new Semaphore(1);
    private final TreeMap<Image, StoredImage> images = new TreeMap<>();
    private volatile ImageBuilder activeBuilder;

    private ImageStore(Path root, Clock clock) throws IOException {
        this.root = root;
        this.clock = clock;
        Files.createDirectories(root.resolve(MANIFESTS));
        Files.createDirectories(root.resolve(PAGE_MAPS));
        this.packs = new PackStore(root.resolve("packs"));
        this.blobs = new BlobStore(root.resolve("blobs"));
    }

    /** Opens (creating if needed) the store at {@code root}; drops whatever an interrupted write left. */
    public static ImageStore open(Path root, Clock clock) {
        try {
            ImageStore store = new ImageStore(root.toAbsolutePath().normalize(), clock);
            store.load();
            return store;
        } catch (IOException e) {
            throw DurableFiles.failure("opening image store " + root, e);
        }
    }

    private void load() throws IOException {
        Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.list(root.resolve(MANIFESTS))) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(DurableFiles.TEMP_SUFFIX)) {
                    Files.delete(file);
                } else if (name.endsWith(".json")) {
                    StoredImage stored = ManifestFiles.load(root, file);
                    images.put(stored.image(), stored);
                    names.add(stored.image().name());
                }
            }
        }
        try (Stream<Path> files = Files.list(root.resolve(PAGE_MAPS))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!names.contains(name.replaceFirst("\\.map$", ""))) {
                    Files.delete(file); // a temp file, or the map of an image whose manifest was never written
                }
            }
        }
        collectGarbage(Set.of());
    }

    /**
     * Starts a new image of {@code timeline} at {@code lsn}; waits while another one is being built. Close the
     * builder (try-with-resources) in any case; commit it to keep the image.
     */
    public ImageBuilder newImage(TimelineId timeline, Lsn lsn) {
        Image.nameOf(timeline, lsn);
        builderSlot.acquireUninterruptibly();
        try {
            requireAbsent(timeline, lsn);
            ImageBuilder builder = new ImageBuilder(this, timeline, lsn, writer());
            activeBuilder = builder;
            return builder;
        } catch (RuntimeException e) {
            builderSlot.release();
            throw e;
        }
    }

    private PackStore.Writer writer() {
        lock.writeLock().lock();
        try {
            return packs.newWriter();
        } catch (IOException e) {
            throw DurableFiles.failure("creating a pack in " + root, e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Copies a data directory as the image of {@code timeline} at {@code lsn} whose redo point is {@code redoLsn}:
     * the files {@link ImagePaths#belongsInImage} accepts, then {@code extraFiles} (e.g. {@code backup_label}).
     */
    public Image importDirectory(
            TimelineId timeline, Lsn lsn, Lsn redoLsn, Path dataDir, Map<String, byte[]> extraFiles) {
        try (ImageBuilder builder = newImage(timeline, lsn)) {
            builder.addDataDirectory(dataDir, ImagePaths::belongsInImage);
            extraFiles.forEach(builder::addFile);
            return builder.commit(redoLsn);
        }
    }

    /** All images, ordered by timeline and LSN. */
    public List<Image> images() {
        lock.readLock().lock();
        try {
            return List.copyOf(images.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The image of {@code timeline} with the highest LSN at or below {@code lsn}. */
    public Optional<Image> newestAtOrBelow(TimelineId timeline, Lsn lsn) {
        return images().stream()
                .filter(i -> i.timeline().equals(timeline) && !i.lsn().isAfter(lsn))
                .max(Comparator.naturalOrder());
    }

    /** Removes the image, then frees the pages and files no other image (or image being built) uses. */
    public void delete(Image image) {
        lock.writeLock().lock();
        try {
            stored(image);
            Files.delete(root.resolve(MANIFESTS).resolve(image.name() + ".json"));
            DurableFiles.fsync(root.resolve(MANIFESTS));
            images.remove(image);
            Files.deleteIfExists(root.resolve(PAGE_MAPS).resolve(image.name() + ".map"));
            ImageBuilder building = activeBuilder;
            collectGarbage(building == null ? Set.of() : building.referenced());
        } catch (IOException e) {
            throw DurableFiles.failure("deleting image " + image.name(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void collectGarbage(Set<PageHash> alsoLive) throws IOException {
        Set<PageHash> live = new HashSet<>(alsoLive);
        for (StoredImage stored : images.values()) {
            stored.pages().values().forEach(hashes -> live.addAll(List.of(hashes)));
            stored.files().values().stream().filter(e -> !e.isPaged()).forEach(e -> live.add(PageHash.parse(e.blob())));
        }
        packs.retainOnly(live);
        blobs.retainOnly(live);
    }

    /** The paths of the image's regular files, sorted. */
    public List<String> files(Image image) {
        lock.readLock().lock();
        try {
            return List.copyOf(stored(image).files().keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The store files (relative {@code /}-paths under {@link #root()}) the image needs: its manifest, page map, the
     * packs serving its pages and its blobs. Remote sync uploads these; all are immutable once written.
     */
    public java.util.SortedSet<String> filesOf(Image image) {
        lock.readLock().lock();
        try {
            StoredImage stored = stored(image);
            java.util.SortedSet<String> files = new java.util.TreeSet<>();
            files.add(MANIFESTS + "/" + image.name() + ".json");
            files.add(PAGE_MAPS + "/" + image.name() + ".map");
            for (PageHash[] hashes : stored.pages().values()) {
                for (PageHash hash : hashes) {
                    files.add("packs/" + packs.fileOf(hash));
                }
            }
            stored.files().values().stream().filter(e -> !e.isPaged()).forEach(e -> files.add("blobs/" + e.blob()));
            return files;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Block {@code blockNumber} (8 KiB) of a file of the image: a relation page, or a slice of another file (an
     * SLRU page); empty if the file is absent or shorter.
     */
    public Optional<byte[]> readPage(Image image, String relPath, long blockNumber) {
        lock.readLock().lock();
        try {
            StoredImage stored = stored(image);
            ImageManifest.Entry entry = stored.files().get(relPath);
            if (entry == null || blockNumber < 0) {
                return Optional.empty();
            }
            if (entry.isPaged()) {
                PageHash[] pages = stored.pages().get(relPath);
                return blockNumber < pages.length ? Optional.of(page(pages[(int) blockNumber])) : Optional.empty();
            }
            long offset = blockNumber * RelationFiles.PAGE_SIZE;
            if (offset + RelationFiles.PAGE_SIZE > entry.size()) {
                return Optional.empty();
            }
            try (InputStream in = blobs.open(PageHash.parse(entry.blob()))) {
                in.skipNBytes(offset);
                return Optional.of(in.readNBytes(RelationFiles.PAGE_SIZE));
            }
        } catch (IOException e) {
            throw DurableFiles.failure("reading " + relPath + " block " + blockNumber + " of " + image.name(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Hands every directory and file of the image to {@code sink}, sorted by path (parents first). */
    public void forEachFile(Image image, FileSink sink) {
        lock.readLock().lock();
        try {
            StoredImage stored = stored(image);
            TreeMap<String, ImageManifest.Entry> all = new TreeMap<>(stored.files());
            stored.dirs().forEach(d -> all.put(d, null));
            for (Map.Entry<String, ImageManifest.Entry> e : all.entrySet()) {
                ImageManifest.Entry entry = e.getValue();
                if (entry == null) {
                    sink.directory(e.getKey());
                } else if (entry.isPaged()) {
                    try (InputStream in = new PagedInputStream(stored.pages().get(e.getKey()), this::page)) {
                        sink.file(e.getKey(), entry.size(), in);
                    }
                } else {
                    try (InputStream in = blobs.open(PageHash.parse(entry.blob()))) {
                        sink.file(e.getKey(), entry.size(), in);
                    }
                }
            }
        } catch (IOException e) {
            throw DurableFiles.failure("reading image " + image.name(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Hands {@code sink} what changed from image {@code from} to image {@code to}: the paths of {@code to}, its
     * directories, its files that differ (whole) and, for relation files both hold, only the changed blocks.
     */
    public void forEachChange(Image from, Image to, ChangeSink sink) {
        lock.readLock().lock();
        try {
            ImageDiff.run(stored(from), stored(to), sink, blob -> blobs.open(PageHash.parse(blob)), this::page);
        } catch (IOException e) {
            throw DurableFiles.failure("comparing image " + to.name() + " with " + from.name(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Writes the image as a data directory into {@code targetDir} (absent or empty): directories mode 0700,
     * files 0600, an empty {@code pg_wal/}.
     */
    public void materialise(Image image, Path targetDir) {
        DataDirectoryWriter.write(this, image, targetDir);
    }

    /** Bytes on disk: packs, blobs, page maps and manifests. */
    public long physicalSize() {
        lock.readLock().lock();
        try {
            long size = packs.physicalSize() + blobs.physicalSize();
            for (String dir : List.of(MANIFESTS, PAGE_MAPS)) {
                try (Stream<Path> files = Files.list(root.resolve(dir))) {
                    for (Path file : files.toList()) {
                        size += Files.size(file);
                    }
                }
            }
            return size;
        } catch (IOException e) {
            throw DurableFiles.failure("measuring image store " + root, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            packs.close();
        } catch (IOException e) {
            throw DurableFiles.failure("closing image store " + root, e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- used by ImageBuilder ----

    boolean hasPage(PageHash hash) {
        lock.readLock().lock();
        try {
            return packs.contains(hash);
        } finally {
            lock.readLock().unlock();
        }
    }

    PageHash putBlob(InputStream content) throws IOException {
        return blobs.put(content); // a new blob is safe from GC: the builder lists it before anyone could delete
    }

    Image publish(ImageBuilder builder, Lsn redoLsn) {
        lock.writeLock().lock();
        try {
            requireAbsent(builder.timeline(), builder.lsn());
            long logicalSize = builder.stagedFiles().values().stream()
                    .mapToLong(ImageBuilder.Staged::size)
                    .sum();
            Image image = new Image(builder.timeline(), builder.lsn(), redoLsn, Instant.now(clock), logicalSize);
            builder.pack().publish();
            blobs.sync();
            StoredImage stored = ManifestFiles.write(root, image, builder.stagedDirectories(), builder.stagedFiles());
            images.put(image, stored);
            return image;
        } catch (IOException e) {
            throw DurableFiles.failure("writing image " + Image.nameOf(builder.timeline(), builder.lsn()), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    void builderDone(ImageBuilder builder) {
        if (activeBuilder == builder) {
            activeBuilder = null;
            builderSlot.release();
        }
    }

    byte[] page(PageHash hash) throws IOException {
        return packs.read(hash)
                .orElseThrow(() -> new XenonException(
                        ErrorCode.IMAGE_CORRUPT,
                        "page " + hash + ": in an image's page map but in no pack of " + root));
    }

    private void requireAbsent(TimelineId timeline, Lsn lsn) {
        lock.readLock().lock();
        try {
            boolean exists = images.keySet().stream()
                    .anyMatch(i -> i.timeline().equals(timeline) && i.lsn().equals(lsn));
            if (exists) {
                throw new XenonException(
                        ErrorCode.CONFLICT,
                        "image " + Image.nameOf(timeline, lsn) + ": exists already (expected: a new LSN)");
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private StoredImage stored(Image image) {
        StoredImage stored = image == null ? null : images.get(image);
        if (stored == null || !stored.image().equals(image)) {
            throw new XenonException(
                    ErrorCode.NOT_FOUND,
                    "image: " + (image == null ? null : image.name()) + " (expected: an image of this store)");
        }
        return stored;
    }
}
