package io.xenondb.storagenode.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("storage-node")
class ImageStoreTest {
    private static final TimelineId TIMELINE = TimelineId.parse("9ef87a5bf0d92544f6fafeeb3239695c");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);
    private static final int PAGES = 40;

    @TempDir
    Path tmp;

    private Path data;
    private Path root;
    private final Random random = new Random(42);

    @BeforeEach
    void fakeDataDirectory() throws IOException {
        data = tmp.resolve("data");
        root = tmp.resolve("images");
        write("PG_VERSION", "17\n".getBytes());
        write("global/pg_control", bytes(8192));
        write("global/1262", bytes(8192 * 2));
        write("base/5/16384", bytes(8192 * PAGES));
        write("base/5/16384_fsm", bytes(8192 * 3));
        write("base/5/pg_filenode.map", bytes(512));
        write("base/5/pg_internal.init", bytes(100));
        write("base/5/16390", bytes(8000)); // not whole pages: kept as a whole file
        write("pg_xact/0000", bytes(8192));
        write("pg_wal/000000010000000000000001", bytes(1000));
        write("pg_notify/0000", bytes(10));
        write("postmaster.pid", "123\n".getBytes());
        Files.createDirectories(data.resolve("pg_tblspc"));
        Files.createDirectories(data.resolve("pg_subtrans"));
    }

    @Test
    void materialisedImageIsByteIdenticalWithoutRuntimeFiles() throws IOException {
        try (ImageStore store = ImageStore.open(root, CLOCK)) {
            Image image = store.importDirectory(
                    TIMELINE,
                    Lsn.parse("0/2000100"),
                    Lsn.parse("0/2000028"),
                    data,
                    Map.of("backup_label", "x".getBytes()));
            Path out = tmp.resolve("out");
            store.materialise(image, out);

            Map<String, byte[]> expected = contents(data);
            expected.keySet().removeIf(p -> !ImagePaths.belongsInImage(p));
            expected.put("backup_label", "x".getBytes());
            Map<String, byte[]> actual = contents(out);
            assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
            expected.forEach(
                    (path, content) -> assertThat(actual.get(path)).as(path).isEqualTo(content));
            assertThat(out.resolve("pg_wal")).isEmptyDirectory();
            assertThat(out.resolve("pg_notify")).isEmptyDirectory();
            assertThat(out.resolve("pg_tblspc")).isEmptyDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("base/5"))))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("base/5/16384"))))
                    .isEqualTo("rw-------");
            assertThat(image.logicalSize())
                    .isEqualTo(
                            expected.values().stream().mapToLong(b -> b.length).sum());
            assertThat(image.createdAt()).isEqualTo(CLOCK.instant());
            assertThat(store.files(image)).contains("global/pg_control", "base/5/16384", "backup_label");
        }
    }

    @Test
    void secondImageWithOnePageChangedCostsOnePage() throws IOException {
        try (ImageStore store = ImageStore.open(root, CLOCK)) {
            Image first =
                    store.importDirectory(TIMELINE, Lsn.parse("0/3000000"), Lsn.parse("0/2000000"), data, Map.of());
            long packsBefore = size(root.resolve("packs"));
            byte[] newPage = bytes(8192);
            overwritePage("base/5/16384", 7, newPage);
            Image second =
                    store.importDirectory(TIMELINE, Lsn.parse("0/3000100"), Lsn.parse("0/2000000"), data, Map.of());

            assertThat(size(root.resolve("packs")) - packsBefore).isEqualTo(PackStore.ENTRY);
            assertThat(store.readPage(second, "base/5/16384", 7)).get().isEqualTo(newPage);
            assertThat(store.readPage(first, "base/5/16384", 7)).get().isNotEqualTo(newPage);
            assertThat(store.readPage(first, "base/5/16384", 8).orElseThrow())
                    .isEqualTo(store.readPage(second, "base/5/16384", 8).orElseThrow());
            assertThat(store.readPage(first, "base/5/16384", PAGES)).isEmpty();
            assertThat(store.readPage(first, "pg_xact/0000", 0))
                    .contains(Files.readAllBytes(data.resolve("pg_xact/0000")));
            assertThat(store.readPage(first, "no/such/file", 0)).isEmpty();
            assertThat(store.newestAtOrBelow(TIMELINE, Lsn.parse("0/30000FF"))).contains(first);
            assertThat(store.newestAtOrBelow(TIMELINE, Lsn.parse("0/3000100"))).contains(second);
            assertThat(store.newestAtOrBelow(TIMELINE, Lsn.parse("0/2FFFFFF"))).isEmpty();
            assertThat(store.newestAtOrBelow(TimelineId.generate(), Lsn.MAX)).isEmpty();
        }
    }

    @Test
    void reopenedStoreServesTheSamePages() throws IOException {
        Image image;
        byte[] page5;
        try (ImageStore store = ImageStore.open(root, CLOCK)) {
            image = store.importDirectory(TIMELINE, Lsn.parse("0/3000000"), Lsn.parse("0/2000000"), data, Map.of());
            page5 = store.readPage(image, "base/5/16384", 5).orElseThrow();
        }
        try (ImageStore store = ImageStore.open(root, CLOCK)) {
            assertThat(store.images()).containsExactly(image);
            assertThat(store.readPage(image, "base/5/16384", 5).orElseThrow()).isEqualTo(page5);
            assertThat(page5).isEqualTo(slice(Files.readAllBytes(data.resolve("base/5/16384")), 5));
        }
    }

    @Test
    void halfWrittenImageIsInvisibleAndItsFilesAreRemoved() throws IOException {
        Image kept;
        long sizeWithOne;
        try (ImageStore store = ImageStore.open(root, CLOCK)) {
            kept = store.importDirectory(TIMELINE, Lsn.parse("0/3000000"), Lsn.parse("0/2000000"), data, Map.of());
            sizeWithOne = store.physicalSize();
            overwritePage("base/5/16384", 1, bytes(8192));
            // A crash after the new pack and the page map are on disk, before the manifest: nothing is closed.
            ImageBuilder builder = store.newImage(TIMELINE, Lsn.parse("0/4000000"));
            builder.addDataDirectory(data, ImagePaths::belongsInImage);
            builder.pack().publish();
            Files.write(root.resolve("pagemaps/" + Image.nameOf(TIMELINE, Lsn.parse("0/4000000")) + ".map"), bytes(64));
            Files.write(
                    root.resolve("manifests/" + Image.nameOf(TIMELINE, Lsn.parse("0/4000000")) + ".json.tmp"),
                    bytes(10));
            Files.write(root.resolve("packs/00000000000000FF.pack.tmp"), bytes(100));
            assertThat(store.physicalSize()).isGreaterThan(sizeWithOne);
        }
        try (ImageStore store = ImageStore.open(root, CLOCK)) {
            assertThat(store.images()).containsExactly(kept);
            assertThat(store.physicalSize()).isEqualTo(sizeWithOne);
            assertThat(listNames(root.resolve("packs"))).noneMatch(n -> n.endsWith(".tmp"));
            Path out = tmp.resolve("out");
            store.materialise(kept, out);
            assertThat(out.resolve("base/5/16384")).exists();
        }
    }

    @Test
    void deleteFreesPagesNoOtherImageUses() throws IOException {
        try (ImageStore store = ImageStore.open(root, CLOCK)) {
            Image first =
                    store.importDirectory(TIMELINE, Lsn.parse("0/3000000"), Lsn.parse("0/2000000"), data, Map.of());
            long sizeWithFirst = store.physicalSize();
            for (int block = 0; block < PAGES; block++) {
                overwritePage("base/5/16384", block, bytes(8192));
            }
            Image second =
                    store.importDirectory(TIMELINE, Lsn.parse("0/3000100"), Lsn.parse("0/2000000"), data, Map.of());
            long packsWithBoth = size(root.resolve("packs"));

            store.delete(first);
            assertThat(store.images()).containsExactly(second);
            // The first pack keeps only the few pages the second image shares: under half, so it is compacted.
            assertThat(size(root.resolve("packs"))).isLessThan(packsWithBoth - (PAGES - 1) * (long) PackStore.ENTRY);
            Path out = tmp.resolve("out");
            store.materialise(second, out);
            assertThat(Files.readAllBytes(out.resolve("base/5/16384")))
                    .isEqualTo(Files.readAllBytes(data.resolve("base/5/16384")));
            assertThat(Files.readAllBytes(out.resolve("global/1262")))
                    .isEqualTo(Files.readAllBytes(data.resolve("global/1262")));

            store.delete(second);
            assertThat(store.images()).isEmpty();
            assertThat(listNames(root.resolve("packs"))).isEmpty();
            assertThat(listNames(root.resolve("blobs"))).isEmpty();
            assertThat(store.physicalSize()).isZero();
            assertThat(sizeWithFirst).isPositive();
            assertThatThrownBy(() -> store.delete(second))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    @Test
    void badInputGetsTypedErrors() throws IOException {
        try (ImageStore store = ImageStore.open(root, CLOCK)) {
            Image image =
                    store.importDirectory(TIMELINE, Lsn.parse("0/3000000"), Lsn.parse("0/2000000"), data, Map.of());
            assertThatThrownBy(() -> store.importDirectory(TIMELINE, image.lsn(), image.redoLsn(), data, Map.of()))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("exists already");
            assertThatThrownBy(() -> store.materialise(image, data))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
            for (String bad : List.of("../x", "/etc/passwd", "a//b", "", "a/./b")) {
                assertThatThrownBy(() -> store.importDirectory(
                                TIMELINE,
                                Lsn.parse("0/5000000"),
                                Lsn.parse("0/2000000"),
                                data,
                                Map.of(bad, new byte[1])))
                        .isInstanceOfSatisfying(
                                XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            }
            assertThatThrownBy(() -> store.importDirectory(
                            TIMELINE, Lsn.parse("0/6000000"), Lsn.parse("0/7000000"), data, Map.of()))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("redo lsn: 0/7000000");
            assertThatThrownBy(() -> store.importDirectory(
                            TIMELINE, Lsn.parse("0/6000000"), Lsn.parse("0/2000000"), tmp.resolve("missing"), Map.of()))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThat(store.images()).containsExactly(image); // failed imports left nothing behind
        }
        Path manifest;
        try (Stream<Path> files = Files.list(root.resolve("manifests"))) {
            manifest = files.findFirst().orElseThrow();
        }
        Files.writeString(manifest, "{\"format\": 1, \"lsn\": \"0/ZZ\"}");
        assertThatThrownBy(() -> ImageStore.open(root, CLOCK))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_CORRUPT))
                .hasMessageContaining(manifest.getFileName().toString());
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private void write(String rel, byte[] content) throws IOException {
        Path file = data.resolve(rel);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private void overwritePage(String rel, int block, byte[] page) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(data.resolve(rel), StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(page), (long) block * 8192);
        }
    }

    private static byte[] slice(byte[] file, int block) {
        return java.util.Arrays.copyOfRange(file, block * 8192, (block + 1) * 8192);
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
