package io.xenondb.storagenode.remote.sync;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.DurableFiles;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.remote.AttachmentMode;
import io.xenondb.storagenode.remote.DownloadedIndex;
import io.xenondb.storagenode.remote.GenerationValidator;
import io.xenondb.storagenode.remote.IndexPart;
import io.xenondb.storagenode.remote.LayerFileMetadata;
import io.xenondb.storagenode.remote.RemoteStorage;
import io.xenondb.storagenode.remote.RemoteTimelineClient;
import io.xenondb.storagenode.timeline.TimelineMetadata;
import io.xenondb.storagenode.wal.TimelineWal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Attach from object storage alone: builds a tenant shard's local directory from the newest index at or below
 * its generation of every timeline: the image store files, each timeline's WAL from its layers and its
 * {@code timeline.json} from the index metadata. Built under a scratch directory and moved into place whole, so
 * a failed attach leaves no tenant directory behind.
 */
final class TenantDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(TenantDownloader.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The lead's {@code Timeline.METADATA_FILE} (package-private there). */
    private static final String TIMELINE_METADATA = "timeline.json";

    private final RemoteStorage storage;
    private final GenerationValidator validator;
    private final Path scratch;

    TenantDownloader(RemoteStorage storage, GenerationValidator validator, Path scratch) {
        this.storage = storage;
        this.validator = validator;
        this.scratch = scratch;
    }

    /** Creates {@code dir} from remote storage; leaves it absent when the shard has no timeline with an index. */
    void fill(TenantShardId id, Path dir, Generation generation) throws IOException {
        var timelines = RemoteTimelineClient.listTimelines(storage, id);
        if (timelines.isEmpty()) {
            return;
        }
        Path temp = scratch.resolve("attach-" + id + "-" + UUID.randomUUID());
        Files.createDirectories(temp.resolve("timelines"));
        try {
            int restored = 0;
            for (TimelineId timeline : timelines) {
                RemoteTimelineClient client = new RemoteTimelineClient(
                        storage, id, timeline, generation, validator, () -> AttachmentMode.STALE); // reads only
                Optional<DownloadedIndex> index = client.downloadIndex();
                if (index.isEmpty()) {
                    LOG.warn(
                            "timeline {} of {} has objects but no index at or below {}: skipped",
                            timeline,
                            id,
                            generation);
                    continue;
                }
                restore(client, index.get().index(), temp);
                restored++;
                LOG.info(
                        "attach {}: timeline {} from index of generation {} at {}",
                        id,
                        timeline,
                        index.get().generation(),
                        index.get().index().diskConsistentLsn());
            }
            if (restored == 0) {
                return;
            }
            Files.move(temp, dir);
            DurableFiles.syncDirectory(dir.getParent());
        } finally {
            FileTrees.deleteRecursively(temp);
        }
    }

    private void restore(RemoteTimelineClient client, IndexPart index, Path tenantDir) throws IOException {
        SortedMap<WalLayer, LayerFileMetadata> wal = new TreeMap<>();
        for (Map.Entry<String, LayerFileMetadata> file : index.layerMetadata().entrySet()) {
            Optional<String> rel = ImageFileNames.relPath(file.getKey());
            if (rel.isPresent()) {
                Path target = tenantDir.resolve("images").resolve(rel.get());
                if (!Files.exists(target)) { // the same store file may be named by several timelines
                    Files.createDirectories(target.getParent());
                    client.download(file.getKey(), file.getValue(), target);
                }
                continue;
            }
            Optional<WalLayer> layer = WalLayer.parse(file.getKey());
            if (layer.isPresent()) {
                wal.put(layer.get(), file.getValue());
            } else {
                LOG.warn("index of {}: unknown file {} ignored", client, file.getKey());
            }
        }
        var md = index.metadata();
        Lsn dcl = index.diskConsistentLsn();
        Lsn start = Optional.ofNullable(index.other().get(TimelineUploader.START_LSN))
                .map(Object::toString)
                .map(Lsn::parse)
                .orElse(wal.isEmpty() ? dcl : wal.firstKey().from());
        Path timelineDir =
                tenantDir.resolve("timelines").resolve(client.timeline().toString());
        try (TimelineWal local = TimelineWal.create(timelineDir.resolve("wal"), start)) {
            Lsn expected = start;
            for (Map.Entry<WalLayer, LayerFileMetadata> entry : wal.entrySet()) {
                WalLayer layer = entry.getKey();
                if (!layer.from().equals(expected)) {
                    throw new XenonException(
                            ErrorCode.INTERNAL,
                            "index of " + client + ": WAL layer " + layer + " (expected: one starting at " + expected
                                    + ")");
                }
                Path temp = scratch.resolve(layer.name() + "-" + UUID.randomUUID() + ".download");
                try {
                    client.download(layer.name(), entry.getValue(), temp);
                    local.append(layer.from(), ByteBuffer.wrap(Files.readAllBytes(temp)));
                } finally {
                    Files.deleteIfExists(temp);
                }
                expected = layer.to();
            }
            if (!expected.equals(dcl)) {
                throw new XenonException(
                        ErrorCode.INTERNAL,
                        "index of " + client + ": WAL layers end at " + expected + " (expected: disk_consistent_lsn "
                                + dcl + ")");
            }
            local.sync();
        }
        Object createdAt = index.other().get(TimelineUploader.CREATED_AT);
        TimelineMetadata metadata = new TimelineMetadata(
                client.timeline(),
                md.ancestorTimeline(),
                md.ancestorLsn(),
                start,
                md.initdbLsn(),
                dcl,
                md.latestGcCutoffLsn(),
                md.pgVersion(),
                Boolean.TRUE.equals(index.other().get(TimelineUploader.READ_ONLY)),
                createdAt == null ? null : Instant.parse(createdAt.toString()),
                start);
        DurableFiles.writeAtomically(timelineDir.resolve(TIMELINE_METADATA), JSON.writeValueAsBytes(metadata));
    }
}
