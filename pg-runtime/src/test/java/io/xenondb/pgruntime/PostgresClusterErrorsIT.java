package io.xenondb.pgruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.internal.PostgresUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and failed starts end in a PostgresRuntimeException that says what was wrong, leaving nothing behind. */
class PostgresClusterErrorsIT {
    @TempDir
    static Path tempDir;

    private static PostgresBinaries binaries;
    private static PostgresCluster cluster;

    @BeforeAll
    static void createCluster() {
        binaries = PostgresBinaries.bundled();
        cluster = PostgresCluster.initdb(binaries, tempDir.resolve("data"), InitdbOptions.defaults());
    }

    @AfterAll
    static void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void initdbRefusesANonEmptyDirectory() throws IOException {
        Path dir = Files.createDirectories(tempDir.resolve("busy"));
        Files.writeString(dir.resolve("keep.txt"), "precious");
        assertThatThrownBy(() -> PostgresCluster.initdb(binaries, dir, InitdbOptions.defaults()))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("data directory " + dir + " is not empty");
        assertThat(dir.resolve("keep.txt")).hasContent("precious");
        assertThatThrownBy(() -> PostgresCluster.initdb(binaries, dir.resolve("keep.txt"), InitdbOptions.defaults()))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void initdbFailureCarriesInitdbsOwnMessage() {
        Path dir = tempDir.resolve("bad-locale");
        assertThatThrownBy(() -> PostgresCluster.initdb(
                        binaries, dir, InitdbOptions.defaults().withLocale("xx_NOWHERE")))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("initdb of " + dir + " failed")
                .hasMessageContaining("xx_NOWHERE");
        assertThat(dir).doesNotExist(); // initdb made it, so a failed initdb removes it
    }

    @Test
    void asRootAnAncestorTheOsUserCannotEnterIsNamed() throws IOException {
        Assumptions.assumeTrue(PostgresUser.isRoot(), "only root switches to an unprivileged OS user");
        Path closed = Files.createDirectories(tempDir.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path dir = closed.resolve("inner").resolve("data");
        assertThatThrownBy(() -> PostgresCluster.initdb(binaries, dir, InitdbOptions.defaults()))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("cannot enter " + closed + " (mode rwx------");
        assertThat(dir).doesNotExist();
    }

    @Test
    void openRefusesMissingAndForeignDirectories() throws IOException {
        Path missing = tempDir.resolve("missing");
        assertThatThrownBy(() -> PostgresCluster.open(binaries, missing))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("data directory " + missing + " does not exist");
        Path empty = Files.createDirectories(tempDir.resolve("empty"));
        assertThatThrownBy(() -> PostgresCluster.open(binaries, empty))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("no readable PG_VERSION");
        Path old = Files.createDirectories(tempDir.resolve("old"));
        Files.writeString(old.resolve("PG_VERSION"), "16\n");
        assertThatThrownBy(() -> PostgresCluster.open(binaries, old))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("PostgreSQL '16' data directory (expected: 17");
    }

    @Test
    void fromBinDirRefusesADirectoryWithoutPostgres() {
        assertThatThrownBy(() -> PostgresBinaries.fromBinDir(tempDir))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("no executable postgres");
    }

    @Test
    void fromBinDirRefusesAnotherMajorVersion() throws IOException {
        // A stand-in install under target/ (world-traversable): the version check runs as the OS user.
        Path bin =
                Files.createDirectories(Path.of("target", "fake-pg16", "bin")).toAbsolutePath();
        for (String program : new String[] {"postgres", "initdb"}) {
            Path script = bin.resolve(program);
            Files.writeString(script, "#!/bin/sh\necho 'postgres (PostgreSQL) 16.4 (Debian 16.4-1)'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThatThrownBy(() -> PostgresBinaries.fromBinDir(bin))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("is PostgreSQL 16.4 (expected: PostgreSQL 17)");
    }

    @Test
    void fromBinDirAcceptsTheBundledBinDir() {
        PostgresBinaries same = PostgresBinaries.fromBinDir(binaries.binDir());
        assertThat(same.version()).isEqualTo(binaries.version());
        assertThat(same.libDir()).isEqualTo(binaries.libDir());
    }

    @Test
    void aStartThatTimesOutStopsWhatItStarted() {
        assertThatThrownBy(() -> cluster.start(FreePorts.allocate(), Duration.ofMillis(1)))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("start of " + cluster.dataDir() + " failed")
                .hasMessageContaining("did not accept connections within 1 ms");
        assertThat(cluster.status()).isEqualTo(PostgresStatus.STOPPED);
        assertThat(cluster.pid()).isEmpty();
    }

    @Test
    void badArgumentsAreTypedErrors() {
        assertThatThrownBy(() -> cluster.start(0, Duration.ofSeconds(1)))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("port: 0 (expected: 1-65535)");
        assertThatThrownBy(() -> cluster.start(5432, Duration.ZERO))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("timeout: PT0S");
        assertThatThrownBy(() -> cluster.stop(null, Duration.ofSeconds(1)))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("stop mode: null");
        assertThatThrownBy(() -> cluster.writeConfig(Map.of("bad name", "x")))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("setting name: 'bad name'");
        assertThatThrownBy(() -> cluster.jdbcUrl(""))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("database: ''");
        assertThatThrownBy(() -> PostgresCluster.initdb(binaries, null, InitdbOptions.defaults()))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("data directory: null");
    }

    @Test
    void stopAndCloseOfAStoppedClusterDoNothing() {
        cluster.stop(StopMode.FAST, Duration.ofSeconds(1));
        cluster.close();
        assertThat(cluster.status()).isEqualTo(PostgresStatus.STOPPED);
    }
}
