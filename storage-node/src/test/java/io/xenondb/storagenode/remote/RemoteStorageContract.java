package io.xenondb.storagenode.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link RemoteStorage} does; subclasses give a fresh, empty storage per test. */
abstract class RemoteStorageContract {
    @TempDir
    Path temp;

    /** A storage with no objects, isolated from other tests. */
    abstract RemoteStorage storage();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bytesRoundTripAndOverwrite() {
        RemoteStorage storage = storage();
        RemoteKey key = RemoteKey.of("tenants/t/a.json");
        storage.upload(key, bytes("first"));
        assertThat(storage.download(key)).isEqualTo(bytes("first"));
        storage.upload(key, bytes("second, longer"));
        assertThat(storage.download(key)).isEqualTo(bytes("second, longer"));
        assertThat(storage.exists(key)).isTrue();
    }

    @Test
    void fileRoundTripReplacesTarget() throws Exception {
        RemoteStorage storage = storage();
        Path source = temp.resolve("source");
        Files.write(source, bytes("layer content"));
        RemoteKey key = RemoteKey.of("x/y/layer-00000001");
        storage.upload(key, source);
        Path target = temp.resolve("down/target");
        Files.createDirectories(target.getParent());
        Files.write(target, bytes("old content that is longer than the new one"));
        storage.download(key, target);
        assertThat(Files.readAllBytes(target)).isEqualTo(bytes("layer content"));
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void emptyObject() {
        RemoteStorage storage = storage();
        RemoteKey key = RemoteKey.of("empty");
        storage.upload(key, new byte[0]);
        assertThat(storage.download(key)).isEmpty();
        assertThat(storage.list("")).containsExactly(new RemoteObject(key, 0));
    }

    @Test
    void listByPrefixWithSizesInKeyOrder() {
        RemoteStorage storage = storage();
        storage.upload(RemoteKey.of("tenants/a/timelines/1/index_part.json-00000002"), bytes("22"));
        storage.upload(RemoteKey.of("tenants/a/timelines/1/index_part.json-00000001"), bytes("1"));
        storage.upload(RemoteKey.of("tenants/a/timelines/1/layer-00000001"), bytes("333"));
        storage.upload(RemoteKey.of("tenants/a/timelines/2/layer-00000001"), bytes("4444"));
        storage.upload(RemoteKey.of("tenants/ab/timelines/1/layer-00000001"), bytes("55555"));

        assertThat(storage.list("tenants/a/timelines/1/index_part.json"))
                .containsExactly(
                        new RemoteObject(RemoteKey.of("tenants/a/timelines/1/index_part.json-00000001"), 1),
                        new RemoteObject(RemoteKey.of("tenants/a/timelines/1/index_part.json-00000002"), 2));
        assertThat(storage.list("tenants/a/"))
                .extracting(o -> o.key().value())
                .containsExactly(
                        "tenants/a/timelines/1/index_part.json-00000001",
                        "tenants/a/timelines/1/index_part.json-00000002",
                        "tenants/a/timelines/1/layer-00000001",
                        "tenants/a/timelines/2/layer-00000001");
        assertThat(storage.list("tenants/a")).hasSize(5);
        assertThat(storage.list("")).hasSize(5);
        assertThat(storage.list("tenants/zz/")).isEmpty();
        assertThat(storage.list("nothing/here/at/all")).isEmpty();
    }

    @Test
    void deleteRemovesOnlyNamedKeysAndIgnoresMissingOnes() {
        RemoteStorage storage = storage();
        RemoteKey keep = RemoteKey.of("d/keep");
        RemoteKey drop = RemoteKey.of("d/drop");
        storage.upload(keep, bytes("k"));
        storage.upload(drop, bytes("d"));
        storage.delete(List.of(drop, RemoteKey.of("d/never-existed"), RemoteKey.of("no/such/dir")));
        assertThat(storage.exists(drop)).isFalse();
        assertThat(storage.exists(keep)).isTrue();
        assertThat(storage.list("d/")).extracting(RemoteObject::key).containsExactly(keep);
        storage.delete(List.of());
    }

    @Test
    void missingObjectIsNotFoundAndLeavesTargetAlone() throws Exception {
        RemoteStorage storage = storage();
        RemoteKey missing = RemoteKey.of("tenants/none/index_part.json-00000001");
        assertThat(storage.exists(missing)).isFalse();
        assertThatThrownBy(() -> storage.download(missing))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining(missing.value());
        Path target = temp.resolve("kept");
        Files.write(target, bytes("untouched"));
        assertThatThrownBy(() -> storage.download(missing, target))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(Files.readAllBytes(target)).isEqualTo(bytes("untouched"));
        try (var files = Files.list(temp)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void badKeysAndPrefixesAreRefused() {
        RemoteStorage storage = storage();
        for (String bad : List.of("", "/abs", "a/../b", "..", "a/./b", "a//b", "a/", "back\\slash", "nul\u0000")) {
            assertThatThrownBy(() -> storage.upload(RemoteKey.of(bad), new byte[1]))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageStartingWith("remote key: ");
        }
        for (String bad : List.of("/tenants", "../x", "a/../", "a//")) {
            assertThatThrownBy(() -> storage.list(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> storage.upload(RemoteKey.of("k"), temp.resolve("no-such-file")))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void largeFileRoundTrip() throws Exception {
        RemoteStorage storage = storage();
        byte[] content = new byte[9 * 1024 * 1024 + 123];
        new Random(4242).nextBytes(content);
        Path source = temp.resolve("big");
        Files.write(source, content);
        RemoteKey key = RemoteKey.of("big/layer-00000003");
        storage.upload(key, source);
        assertThat(storage.list("big/")).containsExactly(new RemoteObject(key, content.length));
        Path target = temp.resolve("big-down");
        storage.download(key, target);
        assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
    }
}
