package io.xenondb.pgruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BinaryCacheIT {
    @Test
    void racingUnpackersLeaveOneCompleteTreeThatLaterCallsReuse() throws Exception {
        Path cache = Path.of("target", "binary-cache-it").toAbsolutePath();
        FileAccess.deleteRecursively(cache);
        CountDownLatch go = new CountDownLatch(1);
        // Without the in-JVM lock, as two JVMs would: both unpack, one rename wins, the other uses its tree.
        List<CompletableFuture<Path>> racers = Stream.of(1, 2)
                .map(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return BinaryCache.unpackedUnlocked(cache);
                }))
                .toList();
        go.countDown();
        Path home = racers.get(0).get();
        assertThat(racers.get(1).get()).isEqualTo(home);

        assertThat(home.getParent()).isEqualTo(cache);
        assertThat(home.getFileName().toString()).matches("17\\.\\d+\\.\\d+-[0-9a-f]{12}");
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries).containsExactly(home); // no temporary directories left behind
        }
        assertThat(home.resolve("bin/postgres")).isExecutable();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("bin/initdb"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.isSymbolicLink(home.resolve("lib/libpq.so"))).isTrue();
        assertThat(home.resolve("share/postgresql/extension/pg_walinspect.control"))
                .isRegularFile();
        assertThat(home.resolve("lib/postgresql/pageinspect.so")).isRegularFile();

        FileTime marked = Files.getLastModifiedTime(home.resolve(BinaryCache.MARKER));
        assertThat(BinaryCache.unpacked(cache)).isEqualTo(home);
        assertThat(Files.getLastModifiedTime(home.resolve(BinaryCache.MARKER))).isEqualTo(marked);
        FileAccess.deleteRecursively(cache);
    }
}
