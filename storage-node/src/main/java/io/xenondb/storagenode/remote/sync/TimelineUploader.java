package io.xenondb.storagenode.remote.sync;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.remote.AttachmentMode;
import io.xenondb.storagenode.remote.DownloadedIndex;
import io.xenondb.storagenode.remote.IndexPart;
import io.xenondb.storagenode.remote.LayerFileMetadata;
import io.xenondb.storagenode.remote.RemoteTimelineClient;
import io.xenondb.storagenode.remote.TimelineMetadata;
import io.xenondb.storagenode.tenant.Tenant;
import io.xenondb.storagenode.timeline.Timeline;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one timeline's remote copy up to its local {@code disk_consistent_lsn}, for one generation: the files
 * of its images at or below that LSN, its WAL as {@link WalLayer}s, then {@code index_part.json} naming them
 * (always after its files). Layers a whole segment replaced are deleted after an index without them is up, and
 * only when the attachment mode and the generation allow. Not thread-safe: one sync at a time.
 */
final class TimelineUploader {
    private static final Logger LOG = LoggerFactory.getLogger(TimelineUploader.class);
    /** Xenon's own index fields (Neon's metadata has no place for them); attach reads them back. */
    static final String START_LSN = "xenon_start_lsn";

    static final String READ_ONLY = "xenon_read_only";
    static final String CREATED_AT = "xenon_created_at";

    private final Tenant tenant;
    private final Timeline timeline;
    private final RemoteTimelineClient client;
    private final Supplier<AttachmentMode> mode;
    private final Path scratch;
    private final SyncStats stats;

    private boolean initialised;
    private IndexPart base;
    private final SortedMap<String, LayerFileMetadata> files = new TreeMap<>();
    private final SortedMap<String, LayerFileMetadata> superseded = new TreeMap<>();
    private Lsn walEnd;
    private Lsn indexedLsn = Lsn.INVALID;
    private boolean dirty;

    TimelineUploader(
            Tenant tenant,
            Timeline timeline,
            RemoteTimelineClient client,
            Supplier<AttachmentMode> mode,
            Path scratch,
            SyncStats stats) {
        this.tenant = tenant;
        this.timeline = timeline;
        this.client = client;
        this.mode = mode;
        this.scratch = scratch;
        this.stats = stats;
    }

    Timeline timeline() {
        return timeline;
    }

    RemoteTimelineClient client() {
        return client;
    }

    /** One pass: uploads what is new, then the index if anything changed. Throws on failure (retried later). */
    void sync() {
        if (!initialised) {
            initialise();
        }
        Optional<Timeline> ancestor = timeline.ancestor();
        if (ancestor.isPresent()
                && ancestor.get()
                        .remoteConsistentLsn()
                        .isBefore(timeline.metadata().ancestorLsn())) {
            return; // the branch's history below its branch point is not remote yet: an attach could not read it
        }
        Lsn dcl = timeline.diskConsistentLsn();
        if (dcl.isBefore(indexedLsn)) {
            return; // the index we attached from is ahead of the local WAL (ingest catches up)
        }
        uploadImages(dcl);
        uploadWal(dcl);
        if (dirty || dcl.isAfter(indexedLsn)) {
            uploadIndex(dcl);
        }
        deleteSuperseded();
    }

    private void initialise() {
        Optional<DownloadedIndex> downloaded = client.downloadIndex();
        walEnd = timeline.metadata().startLsn();
        if (downloaded.isPresent()) {
            base = downloaded.get().index();
            files.putAll(base.layerMetadata());
            indexedLsn = base.diskConsistentLsn();
            for (String name : files.keySet()) {
                WalLayer.parse(name).filter(l -> l.to().isAfter(walEnd)).ifPresent(l -> walEnd = l.to());
            }
            timeline.advanceRemoteConsistentLsn(indexedLsn);
            // A new generation writes its own index at once, so attach after this one starts from it.
            dirty = !downloaded.get().generation().equals(client.generation());
        } else {
            dirty = true;
        }
        initialised = true;
    }

    private void uploadImages(Lsn dcl) {
        for (Image image : tenant.images().images()) {
            if (!image.timeline().equals(timeline.id()) || image.lsn().isAfter(dcl)) {
                continue;
            }
            for (String rel : tenant.images().filesOf(image)) {
                String name = ImageFileNames.remoteName(rel);
                if (!files.containsKey(name)) {
                    Path file = tenant.images().root().resolve(rel);
                    files.put(name, client.upload(name, file));
                    stats.fileUploaded(files.get(name).fileSize());
                    dirty = true;
                }
            }
        }
    }

    private void uploadWal(Lsn dcl) {
        Lsn start = timeline.metadata().startLsn();
        while (walEnd.isBefore(dcl)) {
            long segNo = walEnd.segmentNumber();
            Lsn segStart = Lsn.ofSegment(segNo, Lsn.WAL_SEGMENT_SIZE);
            Lsn segEnd = segStart.plus(Lsn.WAL_SEGMENT_SIZE);
            if (dcl.isBefore(segEnd)) {
                upload(new WalLayer(walEnd, dcl));
                walEnd = dcl;
            } else {
                WalLayer whole = new WalLayer(Lsn.max(segStart, start), segEnd);
                upload(whole);
                // The pieces of this segment uploaded while it was being written are replaced by it.
                for (var it = files.entrySet().iterator(); it.hasNext(); ) {
                    var entry = it.next();
                    Optional<WalLayer> layer = WalLayer.parse(entry.getKey());
                    if (layer.isPresent()
                            && layer.get().inSegment(segNo)
                            && !layer.get().equals(whole)) {
                        superseded.put(entry.getKey(), entry.getValue());
                        it.remove();
                    }
                }
                walEnd = segEnd;
            }
        }
    }

    private void upload(WalLayer layer) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(layer.size()));
        Path temp = scratch.resolve(layer.name() + "-" + UUID.randomUUID() + ".upload");
        try {
            timeline.history().read(layer.from(), bytes);
            Files.createDirectories(scratch);
            Files.write(temp, bytes.array());
            files.put(layer.name(), client.upload(layer.name(), temp));
            stats.fileUploaded(layer.size());
            dirty = true;
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "uploading WAL " + layer + " of " + timeline.tenant() + "/" + timeline.id() + " failed: " + e,
                    e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.debug("could not delete {}: {}", temp, e.toString());
            }
        }
    }

    private void uploadIndex(Lsn dcl) {
        io.xenondb.storagenode.timeline.TimelineMetadata md = timeline.metadata();
        TimelineMetadata metadata = new TimelineMetadata(
                dcl, null, md.ancestorTimelineId(), md.ancestorLsn(), md.gcCutoffLsn(), md.initdbLsn(), md.pgVersion());
        Map<String, Object> other = new LinkedHashMap<>(base == null ? Map.of() : base.other());
        other.put(START_LSN, md.startLsn().toString());
        other.put(READ_ONLY, md.readOnly());
        if (md.createdAt() != null) {
            other.put(CREATED_AT, md.createdAt().toString());
        }
        IndexPart index = new IndexPart(IndexPart.VERSION, new TreeMap<>(files), dcl, metadata, null, other);
        client.uploadIndex(index);
        stats.indexUploaded();
        base = index;
        indexedLsn = dcl;
        dirty = false;
        timeline.advanceRemoteConsistentLsn(dcl);
    }

    private void deleteSuperseded() {
        if (superseded.isEmpty() || !mode.get().mayDelete()) {
            return; // kept for later: only a single attachment deletes
        }
        try {
            client.delete(superseded);
            stats.deleted(superseded.size());
            superseded.clear();
        } catch (XenonException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                throw e;
            }
            // A stale generation never deletes: the objects stay (garbage a current attachment may collect).
            LOG.info("not deleting {} superseded object(s) of {}: {}", superseded.size(), client, e.getMessage());
            stats.deletionRefused();
            superseded.clear();
        }
    }
}
