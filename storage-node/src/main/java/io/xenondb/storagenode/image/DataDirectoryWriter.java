package io.xenondb.storagenode.image;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/** Writes an image out as a PostgreSQL data directory (PostgreSQL wants 0700 directories, 0600 files). */
final class DataDirectoryWriter implements FileSink {
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path target;

    private DataDirectoryWriter(Path target) {
        this.target = target;
    }

    static void write(ImageStore store, Image image, Path targetDir) {
        Path target = targetDir.toAbsolutePath().normalize();
        try {
            if (Files.exists(target)) {
                try (Stream<Path> entries = Files.list(target)) {
                    if (entries.findAny().isPresent()) {
                        throw new XenonException(
                                ErrorCode.CONFLICT,
                                "materialise target: " + target
                                        + " is not empty (expected: an absent or empty directory)");
                    }
                }
            } else {
                Files.createDirectories(target);
            }
            Files.setPosixFilePermissions(target, DIR_MODE);
            DataDirectoryWriter writer = new DataDirectoryWriter(target);
            store.forEachFile(image, writer);
            writer.directory("pg_wal");
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL, "materialising image " + image.name() + " into " + target + ": " + e, e);
        }
    }

    @Override
    public void directory(String path) throws IOException {
        Path dir = target.resolve(ImagePaths.check(path));
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, DIR_MODE);
    }

    @Override
    public void file(String path, long size, InputStream content) throws IOException {
        Path file = target.resolve(ImagePaths.check(path));
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            content.transferTo(out);
        }
        Files.setPosixFilePermissions(file, FILE_MODE);
    }
}
