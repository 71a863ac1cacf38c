package io.xenondb.pgruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @Test
    void theSocketGoesIntoAShortPlainDataDirectoryOnly() {
        assertThat(DataDirectory.socketDirectory(Path.of("/srv/xenon/data"), 5432))
                .isEqualTo("/srv/xenon/data");
        // 107 bytes is the limit for "<dir>/.s.PGSQL.<port>"; ".s.PGSQL.5432" plus the slash is 14 bytes.
        Path fits = Path.of("/" + "d".repeat(92));
        Path tooLong = Path.of("/" + "d".repeat(93));
        assertThat(DataDirectory.socketDirectory(fits, 5432)).isEqualTo(fits.toString());
        assertThat(DataDirectory.socketDirectory(tooLong, 5432)).isEmpty();
        assertThat(DataDirectory.socketDirectory(Path.of("/srv/a,b/data"), 5432))
                .isEmpty();
        assertThat(DataDirectory.socketDirectory(Path.of("/srv/with space/data"), 5432))
                .isEmpty();
    }

    @Test
    void theLogFileSitsNextToTheDataDirectory() {
        assertThat(DataDirectory.logFile(Path.of("/srv/compute-1/pgdata")))
                .isEqualTo(Path.of("/srv/compute-1/pgdata.log"));
    }

    @Test
    void normalizeMakesAbsoluteAndRefusesTheRoot() {
        assertThat(DataDirectory.normalize(Path.of("/srv/x/../data"))).isEqualTo(Path.of("/srv/data"));
        assertThat(DataDirectory.normalize(Path.of("rel"))).isAbsolute();
        assertThatThrownBy(() -> DataDirectory.normalize(Path.of("/")))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("data directory: / (expected: a directory below /)");
    }

    @Test
    void createEmptyReportsWhetherItCreatedTheDirectory(@TempDir Path temp) throws IOException {
        assertThat(DataDirectory.createEmpty(temp.resolve("a/b"))).isTrue();
        assertThat(temp.resolve("a/b")).isEmptyDirectory();
        assertThat(DataDirectory.createEmpty(temp.resolve("a/b"))).isFalse();
        Files.writeString(temp.resolve("a/b/file"), "x");
        assertThatThrownBy(() -> DataDirectory.createEmpty(temp.resolve("a/b")))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("is not empty");
    }
}
