package io.xenondb.storagenode.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Whole files (everything of a data directory that is not relation pages), content-addressed:
 * {@code blobs/<sha256>}. A blob is written under a temp name, fsynced and renamed; it never changes after.
 */
final class BlobStore {
    private final Path dir;

    BlobStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().contains(DurableFiles.TEMP_SUFFIX)) {
                    Files.delete(file);
                }
            }
        }
    }

    /** Stores the bytes {@code content} yields; returns their hash (the blob's name). */
    PageHash put(InputStream content) throws IOException {
        Path temp = dir.resolve(UUID.randomUUID() + DurableFiles.TEMP_SUFFIX);
        MessageDigest digest = PageHash.sha256();
        try (OutputStream out = new DigestOutputStream(
                Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), digest)) {
            content.transferTo(out);
        }
        PageHash hash = PageHash.of(digest);
        Path target = path(hash);
        if (Files.exists(target)) {
            Files.delete(temp);
        } else {
            DurableFiles.fsync(temp);
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return hash;
    }

    InputStream open(PageHash hash) throws IOException {
        return Files.newInputStream(path(hash));
    }

    byte[] read(PageHash hash) throws IOException {
        return Files.readAllBytes(path(hash));
    }

    /** Makes the renames of new blobs durable (one directory fsync per image rather than per blob). */
    void sync() throws IOException {
        DurableFiles.fsync(dir);
    }

    /** Deletes every blob not named in {@code live}. */
    void retainOnly(Set<PageHash> live) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.length() == 2 * PageHash.BYTES && !live.contains(PageHash.parse(name))) {
                    Files.delete(file);
                }
            }
        }
        DurableFiles.fsync(dir);
    }

    long physicalSize() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long size = 0;
            for (Path file : files.toList()) {
                size += Files.size(file);
            }
            return size;
        }
    }

    private Path path(PageHash hash) {
        return dir.resolve(hash.toString());
    }
}
