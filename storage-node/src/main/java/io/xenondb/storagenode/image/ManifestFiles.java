package io.xenondb.storagenode.image;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/** Writes and reads an image's page map ({@code pagemaps/<name>.map}) and manifest ({@code manifests/<name>.json}). */
final class ManifestFiles {
    private ManifestFiles() {}

    /** Writes the page map, then the manifest (which publishes the image); returns the image as held in memory. */
    static StoredImage write(
            Path root, Image image, SortedSet<String> dirs, SortedMap<String, ImageBuilder.Staged> staged)
            throws IOException {
        List<ImageManifest.Entry> entries = new ArrayList<>();
        Map<String, PageHash[]> pages = new LinkedHashMap<>();
        long pageCount = 0;
        for (ImageBuilder.Staged file : staged.values()) {
            if (file.pages() != null) {
                entries.add(new ImageManifest.Entry(file.path(), file.size(), (long) file.pages().length, null));
                pages.put(file.path(), file.pages());
                pageCount += file.pages().length;
            } else {
                entries.add(new ImageManifest.Entry(
                        file.path(), file.size(), null, file.blob().toString()));
            }
        }
        ByteBuffer map = ByteBuffer.allocate(Math.toIntExact(pageCount * PageHash.BYTES));
        pages.values().forEach(hashes -> {
            for (PageHash h : hashes) {
                h.write(map);
            }
        });
        String mapName = "pagemaps/" + image.name() + ".map";
        DurableFiles.writeAtomically(root.resolve(mapName), map.array());
        ImageManifest manifest = new ImageManifest(
                ImageManifest.FORMAT,
                image.timeline(),
                image.lsn(),
                image.redoLsn(),
                image.createdAt().toString(),
                image.logicalSize(),
                mapName,
                PageHash.of(map.array()).toString(),
                List.copyOf(dirs),
                entries);
        DurableFiles.writeAtomically(root.resolve("manifests").resolve(image.name() + ".json"), manifest.toJson());
        return toStored(image, manifest, pages);
    }

    /** Reads a manifest and its page map, checking that they belong together. */
    static StoredImage load(Path root, Path manifestFile) throws IOException {
        ImageManifest m;
        try {
            m = ImageManifest.fromJson(Files.readAllBytes(manifestFile));
        } catch (RuntimeException e) {
            throw corrupt(manifestFile, "not a readable image manifest (" + e.getMessage() + ")");
        }
        if (m.format() != ImageManifest.FORMAT || m.timelineId() == null || m.lsn() == null || m.files() == null) {
            throw corrupt(manifestFile, "format " + m.format() + " or a missing field (expected: format 1, all set)");
        }
        Image image = new Image(m.timelineId(), m.lsn(), m.redoLsn(), Instant.parse(m.createdAt()), m.logicalSize());
        if (!manifestFile.getFileName().toString().equals(image.name() + ".json")) {
            throw corrupt(manifestFile, "describes image " + image.name());
        }
        byte[] map = Files.readAllBytes(root.resolve(m.pageMap()));
        long expected = m.files().stream()
                .filter(ImageManifest.Entry::isPaged)
                .mapToLong(ImageManifest.Entry::pages)
                .sum();
        if (map.length != expected * PageHash.BYTES
                || !PageHash.of(map).toString().equals(m.pageMapSha256())) {
            throw corrupt(
                    root.resolve(m.pageMap()),
                    map.length + " bytes, sha256 " + PageHash.of(map) + " (expected: " + expected * PageHash.BYTES
                            + " bytes, sha256 " + m.pageMapSha256() + ")");
        }
        ByteBuffer buffer = ByteBuffer.wrap(map);
        Map<String, PageHash[]> pages = new LinkedHashMap<>();
        for (ImageManifest.Entry entry : m.files()) {
            if (entry.isPaged()) {
                PageHash[] hashes = new PageHash[Math.toIntExact(entry.pages())];
                for (int i = 0; i < hashes.length; i++) {
                    hashes[i] = PageHash.read(buffer);
                }
                pages.put(entry.path(), hashes);
            }
        }
        return toStored(image, m, pages);
    }

    private static StoredImage toStored(Image image, ImageManifest m, Map<String, PageHash[]> pages) {
        Map<String, ImageManifest.Entry> files = new LinkedHashMap<>();
        m.files().forEach(e -> files.put(e.path(), e));
        return new StoredImage(image, files, List.copyOf(m.directories()), pages);
    }

    private static XenonException corrupt(Path file, String what) {
        return new XenonException(ErrorCode.IMAGE_CORRUPT, "image file " + file + ": " + what);
    }
}
