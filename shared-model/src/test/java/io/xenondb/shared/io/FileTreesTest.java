package io.xenondb.shared.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @Test
    void deletesATreeAndIgnoresAnAbsentPath(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/file"), "x");
        Files.writeString(root.resolve("top"), "y");
        FileTrees.deleteRecursively(root);
        assertThat(root).doesNotExist();
        assertThat(dir).exists();
        FileTrees.deleteRecursively(root); // nothing left: no error
        Path file = dir.resolve("single");
        Files.writeString(file, "z");
        FileTrees.deleteRecursively(file);
        assertThat(file).doesNotExist();
    }
}
