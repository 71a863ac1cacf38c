package io.xenondb.storagenode.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Neon RFC 025 on any {@link RemoteStorage}: two attachments of one timeline, generations 1 and 2. */
abstract class GenerationsContract {
    @TempDir
    Path temp;

    private final TenantShardId shard = TenantShardId.unsharded(TenantId.generate());
    private final TimelineId timeline = TimelineId.generate();
    private final IssuedGenerations controller = new IssuedGenerations();
    private RemoteStorage storage;

    /** A storage with no objects, isolated from other tests. */
    abstract RemoteStorage storage();

    @BeforeEach
    void openStorage() {
        storage = storage();
    }

    private RemoteTimelineClient attach(Generation generation, AttachmentMode mode) {
        return new RemoteTimelineClient(storage, shard, timeline, generation, controller, () -> mode);
    }

    private Path file(String name, String content) throws Exception {
        Path path = temp.resolve(name + "-" + System.nanoTime());
        Files.writeString(path, content);
        return path;
    }

    private static TimelineMetadata at(String lsn) {
        return new TimelineMetadata(
                Lsn.parse(lsn), null, null, null, Lsn.parse("0/1000000"), Lsn.parse("0/14EE150"), 17);
    }

    private byte[] remoteBytes(String name, Generation generation) {
        return storage.download(RemotePaths.objectKey(shard, timeline, name, generation));
    }

    @Test
    void eachClientReadsTheNewestIndexAtOrBelowItsGeneration() throws Exception {
        Generation g1 = controller.attach(shard);
        RemoteTimelineClient first = attach(g1, AttachmentMode.SINGLE);
        assertThat(first.downloadIndex()).isEmpty();
        LayerFileMetadata a = first.upload("layer_a", file("a", "A of gen 1"));
        first.uploadIndex(IndexPart.of(Map.of("layer_a", a), at("0/2000000")));

        Generation g2 = controller.attach(shard);
        RemoteTimelineClient second = attach(g2, AttachmentMode.SINGLE);
        DownloadedIndex attached = second.downloadIndex().orElseThrow();
        assertThat(attached.generation()).isEqualTo(g1);
        LayerFileMetadata b = second.upload("layer_b", file("b", "B of gen 2"));
        IndexPart next = attached.index().withFiles(Map.of("layer_a", a, "layer_b", b));
        second.uploadIndex(next.withMetadata(at("0/3000000")));

        // A gen-3 attachment sees gen 2's index; the gen-1 client keeps seeing its own, never a newer one.
        Generation g3 = controller.attach(shard);
        assertThat(attach(g3, AttachmentMode.SINGLE)
                        .downloadIndex()
                        .orElseThrow()
                        .generation())
                .isEqualTo(g2);
        DownloadedIndex stale = first.downloadIndex().orElseThrow();
        assertThat(stale.generation()).isEqualTo(g1);
        assertThat(stale.index().layerMetadata()).containsOnlyKeys("layer_a");
        assertThat(second.downloadIndex().orElseThrow().index().diskConsistentLsn())
                .isEqualTo(Lsn.parse("0/3000000"));

        // Files named by an index come back from the writer's generation.
        Path down = temp.resolve("down-a");
        second.download("layer_a", a, down);
        assertThat(Files.readString(down)).isEqualTo("A of gen 1");
        assertThat(RemoteTimelineClient.listTimelines(storage, shard)).containsExactly(timeline);
        assertThat(RemoteTimelineClient.listTimelines(storage, TenantShardId.unsharded(TenantId.generate())))
                .isEmpty();
    }

    @Test
    void aStaleGenerationNeitherDeletesNorOverwrites() throws Exception {
        Generation g1 = controller.attach(shard);
        RemoteTimelineClient first = attach(g1, AttachmentMode.SINGLE);
        LayerFileMetadata a1 = first.upload("layer_a", file("a", "gen 1 content"));
        first.uploadIndex(IndexPart.of(Map.of("layer_a", a1), at("0/2000000")));

        Generation g2 = controller.attach(shard);
        RemoteTimelineClient second = attach(g2, AttachmentMode.SINGLE);
        LayerFileMetadata a2 = second.upload("layer_a", file("a", "gen 2 content, different"));
        second.uploadIndex(IndexPart.of(Map.of("layer_a", a2), at("0/3000000")));
        byte[] index2 = storage.download(RemotePaths.indexKey(shard, timeline, g2));

        // The old attachment keeps running: its writes land under generation 1 only.
        LayerFileMetadata again = first.upload("layer_a", file("a", "gen 1 rewrote this"));
        first.uploadIndex(IndexPart.of(Map.of("layer_a", again), at("0/2800000")));
        assertThat(new String(remoteBytes("layer_a", g2), StandardCharsets.UTF_8))
                .isEqualTo("gen 2 content, different");
        assertThat(storage.download(RemotePaths.indexKey(shard, timeline, g2))).isEqualTo(index2);

        // Gen 1 is stale: its deletions are refused, whatever they name.
        for (Map<String, LayerFileMetadata> victims : List.of(Map.of("layer_a", a1), Map.of("layer_a", a2))) {
            assertThatThrownBy(() -> first.delete(victims))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        }
        assertThat(storage.exists(RemotePaths.objectKey(shard, timeline, "layer_a", g1)))
                .isTrue();
        assertThat(storage.exists(RemotePaths.objectKey(shard, timeline, "layer_a", g2)))
                .isTrue();

        // The current generation may delete gen 1's file, once its own index no longer names it.
        second.delete(Map.of("layer_a", a1));
        assertThat(storage.exists(RemotePaths.objectKey(shard, timeline, "layer_a", g1)))
                .isFalse();
        assertThat(storage.exists(RemotePaths.objectKey(shard, timeline, "layer_a", g2)))
                .isTrue();
    }

    @Test
    void multiAndStaleAttachmentsNeverDelete() throws Exception {
        Generation g1 = controller.attach(shard);
        for (AttachmentMode mode : List.of(AttachmentMode.MULTI, AttachmentMode.STALE)) {
            RemoteTimelineClient client = attach(g1, mode);
            LayerFileMetadata a = client.upload("layer_" + mode.ordinal(), file("a", "x"));
            assertThatThrownBy(() -> client.delete(Map.of("layer_" + mode.ordinal(), a)))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining(mode.toString());
            assertThat(storage.exists(RemotePaths.objectKey(shard, timeline, "layer_" + mode.ordinal(), g1)))
                    .isTrue();
        }
    }

    @Test
    void anIndexNeverNamesAFileThatIsNotUploaded() throws Exception {
        Generation g1 = controller.attach(shard);
        RemoteTimelineClient client = attach(g1, AttachmentMode.SINGLE);
        LayerFileMetadata never = new LayerFileMetadata(5, g1, shard.shard());
        assertThatThrownBy(() -> client.uploadIndex(IndexPart.of(Map.of("never_uploaded", never), at("0/2000000"))))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("never_uploaded");
        LayerFileMetadata newer = new LayerFileMetadata(5, Generation.of(9), shard.shard());
        assertThatThrownBy(() -> client.uploadIndex(IndexPart.of(Map.of("from_future", newer), at("0/2000000"))))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        LayerFileMetadata real = client.upload("real", file("r", "12345"));
        assertThatThrownBy(() -> client.uploadIndex(
                        IndexPart.of(Map.of("real", new LayerFileMetadata(4, g1, shard.shard())), at("0/2000000"))))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(client.downloadIndex()).isEmpty();

        client.uploadIndex(IndexPart.of(Map.of("real", real), at("0/3000000")));
        assertThatThrownBy(() -> client.uploadIndex(IndexPart.of(Map.of("real", real), at("0/2000000"))))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(client.downloadIndex().orElseThrow().index().diskConsistentLsn())
                .isEqualTo(Lsn.parse("0/3000000"));
    }

    @Test
    void indexUploadWaitsForAConcurrentFileUpload() throws Exception {
        Generation g1 = controller.attach(shard);
        CountDownLatch uploadStarted = new CountDownLatch(1);
        CountDownLatch releaseUpload = new CountDownLatch(1);
        AtomicReference<RemoteKey> objectSeenByIndexWrite = new AtomicReference<>();
        RemoteStorage gated = new GatedStorage(storage, uploadStarted, releaseUpload, objectSeenByIndexWrite);
        RemoteTimelineClient client =
                new RemoteTimelineClient(gated, shard, timeline, g1, controller, () -> AttachmentMode.SINGLE);
        Path layer = file("slow", "slow layer bytes");
        LayerFileMetadata expected = new LayerFileMetadata(Files.size(layer), g1, shard.shard());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<LayerFileMetadata> upload = pool.submit(() -> client.upload("slow_layer", layer));
            assertThat(uploadStarted.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> index = pool.submit(
                    () -> client.uploadIndex(IndexPart.of(Map.of("slow_layer", expected), at("0/2000000"))));
            Thread.sleep(200);
            assertThat(index.isDone()).as("index upload must wait for the file").isFalse();
            releaseUpload.countDown();
            assertThat(upload.get(20, TimeUnit.SECONDS)).isEqualTo(expected);
            index.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        // When the index was written, the file it names already existed remotely.
        assertThat(objectSeenByIndexWrite.get()).isEqualTo(RemotePaths.objectKey(shard, timeline, "slow_layer", g1));
        assertThat(client.downloadIndex().orElseThrow().index().layerMetadata()).containsOnlyKeys("slow_layer");
    }

    /** Holds file uploads until released and records, at index write time, which object files exist. */
    private record GatedStorage(
            RemoteStorage delegate, CountDownLatch started, CountDownLatch release, AtomicReference<RemoteKey> seen)
            implements RemoteStorage {
        @Override
        public void upload(RemoteKey key, Path file) {
            started.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delegate.upload(key, file);
        }

        @Override
        public void upload(RemoteKey key, byte[] bytes) {
            String prefix = key.value().substring(0, key.value().lastIndexOf('/') + 1);
            delegate.list(prefix).stream()
                    .map(RemoteObject::key)
                    .filter(k -> !k.fileName().startsWith(RemotePaths.INDEX_PART))
                    .findFirst()
                    .ifPresent(seen::set);
            delegate.upload(key, bytes);
        }

        @Override
        public void download(RemoteKey key, Path target) {
            delegate.download(key, target);
        }

        @Override
        public byte[] download(RemoteKey key) {
            return delegate.download(key);
        }

        @Override
        public List<RemoteObject> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public void delete(java.util.Collection<RemoteKey> keys) {
            delegate.delete(keys);
        }

        @Override
        public boolean exists(RemoteKey key) {
            return delegate.exists(key);
        }
    }
}
