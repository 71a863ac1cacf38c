package io.xenondb.bench.storage;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Sizes and deletes of directory trees, failing with typed errors. */
final class Files2 {
    private Files2() {}

    /** The bytes of the regular files under {@code dir}. */
    static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "cannot walk " + dir + ": " + e, e);
        }
    }

    static void delete(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "cannot delete " + dir + ": " + e, e);
        }
    }
}
