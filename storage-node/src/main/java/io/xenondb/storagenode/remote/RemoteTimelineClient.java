package io.xenondb.storagenode.remote;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The remote side of one timeline of one tenant shard, as attached in one generation (Neon RFC 025). Blocking
 * and thread-safe.
 *
 * <ul>
 *   <li>Files are written only under this client's own generation, so nothing another generation wrote is ever
 *       overwritten.
 *   <li>{@link #uploadIndex} waits until every file of this generation that the index names has been uploaded
 *       (also when another thread is uploading it) and refuses names it never uploaded: an index never points at
 *       a missing file.
 *   <li>{@link #downloadIndex} picks the newest index of a generation at or below this one.
 *   <li>{@link #delete} runs only in {@link AttachmentMode#SINGLE} and after the {@link GenerationValidator} says
 *       this generation is still current.
 * </ul>
 */
public final class RemoteTimelineClient {
    private final RemoteStorage storage;
    private final TenantShardId tenantShard;
    private final TimelineId timeline;
    private final Generation generation;
    private final GenerationValidator validator;
    private final Supplier<AttachmentMode> mode;

    private final Object uploadsLock = new Object();
    private final Map<String, CompletableFuture<LayerFileMetadata>> uploads = new HashMap<>();
    private final ReentrantLock indexLock = new ReentrantLock(true);
    private Lsn lastIndexLsn = Lsn.INVALID;

    /**
     * @param mode the shard's current attachment mode, read at every deletion (it changes during migrations)
     */
    public RemoteTimelineClient(
            RemoteStorage storage,
            TenantShardId tenantShard,
            TimelineId timeline,
            Generation generation,
            GenerationValidator validator,
            Supplier<AttachmentMode> mode) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.tenantShard = Objects.requireNonNull(tenantShard, "tenantShard");
        this.timeline = Objects.requireNonNull(timeline, "timeline");
        this.generation = Objects.requireNonNull(generation, "generation");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public TenantShardId tenantShard() {
        return tenantShard;
    }

    public TimelineId timeline() {
        return timeline;
    }

    public Generation generation() {
        return generation;
    }

    /**
     * Uploads the immutable file {@code file} as {@code name} of this generation and returns its index entry.
     * Uploading the same name again in this generation replaces the object (same writer, same content expected).
     */
    public LayerFileMetadata upload(String name, Path file) {
        RemotePaths.checkName(name);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "upload source: " + file + " (expected: a readable file: " + e + ")",
                    e);
        }
        RemoteKey key = ownKey(name);
        LayerFileMetadata metadata = new LayerFileMetadata(size, generation, tenantShard.shard());
        CompletableFuture<LayerFileMetadata> done = new CompletableFuture<>();
        synchronized (uploadsLock) {
            uploads.put(name, done);
        }
        try {
            storage.upload(key, file);
        } catch (RuntimeException e) {
            synchronized (uploadsLock) {
                uploads.remove(name, done);
            }
            done.completeExceptionally(e);
            throw e;
        }
        done.complete(metadata);
        return metadata;
    }

    /**
     * Uploads {@code index} as {@code index_part.json} of this generation, once every file of this generation it
     * names is uploaded. Refused ({@code CONFLICT}) when it names a file of this generation this client did not
     * upload, a file of a newer generation, a size other than the uploaded one, or when it would move the
     * disk-consistent LSN back from an index this client uploaded before.
     */
    public void uploadIndex(IndexPart index) {
        for (Map.Entry<String, LayerFileMetadata> entry : index.layerMetadata().entrySet()) {
            awaitUploaded(entry.getKey(), entry.getValue());
        }
        byte[] json = index.toJson();
        indexLock.lock();
        try {
            if (index.diskConsistentLsn().compareTo(lastIndexLsn) < 0) {
                throw new XenonException(
                        ErrorCode.CONFLICT,
                        "index disk_consistent_lsn: " + index.diskConsistentLsn() + " (expected: at least "
                                + lastIndexLsn + ", already uploaded for " + this + ")");
            }
            storage.upload(RemotePaths.indexKey(tenantShard, timeline, generation), json);
            lastIndexLsn = index.diskConsistentLsn();
        } finally {
            indexLock.unlock();
        }
    }

    private void awaitUploaded(String name, LayerFileMetadata metadata) {
        if (metadata.generation().compareTo(generation) > 0) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "index file '" + name + "': generation " + metadata.generation() + " (expected: at most "
                            + generation + ", the generation of " + this + ")");
        }
        if (!metadata.generation().equals(generation) || !metadata.shard().equals(tenantShard.shard())) {
            // Written by an earlier generation or by the parent shard: already remote, named by the index we
            // attached from.
            return;
        }
        CompletableFuture<LayerFileMetadata> upload;
        synchronized (uploadsLock) {
            upload = uploads.get(name);
        }
        if (upload == null) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "index file '" + name + "' of generation " + generation + " (expected: a file uploaded by " + this
                            + " before its index)");
        }
        LayerFileMetadata uploaded;
        try {
            uploaded = upload.join();
        } catch (CompletionException e) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "index file '" + name + "': its upload failed (expected: uploaded before the index): "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
        if (uploaded.fileSize() != metadata.fileSize()) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "index file '" + name + "': file_size " + metadata.fileSize() + " (expected: " + uploaded.fileSize()
                            + ", the size uploaded)");
        }
    }

    /**
     * The newest index of this timeline whose generation is at or below this client's (the listing decides, as
     * in Neon), or empty when the timeline has none.
     */
    public Optional<DownloadedIndex> downloadIndex() {
        String prefix = RemotePaths.timelinePrefix(tenantShard, timeline) + RemotePaths.INDEX_PART;
        Optional<RemoteName> newest = storage.list(prefix).stream()
                .map(object -> RemotePaths.tryParse(object.key()))
                .flatMap(Optional::stream)
                .filter(name -> name.kind() == RemoteName.Kind.INDEX_PART)
                .filter(name -> name.generation().compareTo(generation) <= 0)
                .max((a, b) -> a.generation().compareTo(b.generation()));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        IndexPart index = IndexPart.fromJson(storage.download(newest.get().key()));
        return Optional.of(new DownloadedIndex(newest.get().generation(), index));
    }

    /** Downloads the file {@code name} as its index entry describes it (generation and writer shard). */
    public void download(String name, LayerFileMetadata metadata, Path target) {
        TenantShardId writer = new TenantShardId(tenantShard.tenantId(), metadata.shard());
        RemoteKey key = RemotePaths.objectKey(writer, timeline, name, metadata.generation());
        storage.download(key, target);
        long size;
        try {
            size = Files.size(target);
        } catch (IOException e) {
            throw new XenonException(ErrorCode.INTERNAL, "size of downloaded " + target + ": " + e, e);
        }
        if (size != metadata.fileSize()) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException e) {
                // The size error below is the one to report.
            }
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "downloaded '" + key + "': " + size + " bytes (expected: " + metadata.fileSize()
                            + " from the index)");
        }
    }

    /** Downloads the file {@code name} that this shard wrote in {@code fileGeneration}. */
    public void download(String name, Generation fileGeneration, Path target) {
        storage.download(RemotePaths.objectKey(tenantShard, timeline, name, fileGeneration), target);
    }

    /**
     * Deletes files of this timeline (e.g. after GC or compaction, once an index without them is uploaded).
     * Refused ({@code CONFLICT}), deleting nothing, unless the attachment mode allows deletions, this generation
     * is still current and no file is of a newer generation.
     */
    public void delete(Map<String, LayerFileMetadata> files) {
        AttachmentMode current = mode.get();
        if (!current.mayDelete()) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "deletion by " + this + ": attachment mode " + current + " (expected: " + AttachmentMode.SINGLE
                            + ")");
        }
        List<RemoteKey> keys = new ArrayList<>();
        for (Map.Entry<String, LayerFileMetadata> entry : files.entrySet()) {
            LayerFileMetadata metadata = entry.getValue();
            if (metadata.generation().compareTo(generation) > 0) {
                throw new XenonException(
                        ErrorCode.CONFLICT,
                        "deletion of '" + entry.getKey() + "': generation " + metadata.generation()
                                + " (expected: at most " + generation + ", the generation of " + this + ")");
            }
            TenantShardId writer = new TenantShardId(tenantShard.tenantId(), metadata.shard());
            keys.add(RemotePaths.objectKey(writer, timeline, entry.getKey(), metadata.generation()));
        }
        // Validate last, right before deleting, to keep the window in which the generation may go stale small.
        if (!validator.isCurrent(tenantShard, generation)) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "deletion by " + this + ": generation " + generation + " is stale (expected: the current"
                            + " generation of " + tenantShard + ")");
        }
        storage.delete(keys);
        synchronized (uploadsLock) {
            files.keySet().forEach(uploads::remove);
        }
    }

    /** The timelines of {@code tenantShard} that have any object in remote storage, for attach from an empty disk. */
    public static SortedSet<TimelineId> listTimelines(RemoteStorage storage, TenantShardId tenantShard) {
        SortedSet<TimelineId> timelines = new TreeSet<>();
        for (RemoteObject object : storage.list(RemotePaths.timelinesPrefix(tenantShard))) {
            RemotePaths.tryParse(object.key())
                    .filter(name -> name.tenantShard().equals(tenantShard) && name.timeline() != null)
                    .ifPresent(name -> timelines.add(name.timeline()));
        }
        return timelines;
    }

    private RemoteKey ownKey(String name) {
        RemoteKey key = RemotePaths.objectKey(tenantShard, timeline, name, generation);
        // The invariant that keeps generations apart: this client writes nothing but its own generation.
        RemoteName parsed = RemotePaths.parse(key);
        if (!parsed.generation().equals(generation) || !parsed.name().equals(name)) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "upload key '" + key + "': generation " + parsed.generation() + " (expected: " + generation + ")");
        }
        return key;
    }

    @Override
    public String toString() {
        return "RemoteTimelineClient[" + tenantShard + "/" + timeline + " generation " + generation + "]";
    }
}
