package io.xenondb.storagenode.remote.sync;

import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.storagenode.remote.AttachmentMode;
import io.xenondb.storagenode.remote.GenerationValidator;
import io.xenondb.storagenode.remote.RemoteStorage;
import io.xenondb.storagenode.remote.RemoteTimelineClient;
import io.xenondb.storagenode.tenant.Tenant;
import io.xenondb.storagenode.tenant.TenantManager;
import io.xenondb.storagenode.timeline.Timeline;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage node's side of object storage. A background virtual thread uploads, every {@code interval}, what
 * is new in each attached tenant shard ({@code AttachedSingle}, {@code AttachedMulti}, {@code AttachedStale}:
 * uploads are safe in every mode since keys carry the generation), ancestors before branches; a failed timeline
 * is retried with doubling backoff, logged and counted, and local data is never touched. It is also the
 * {@link TenantManager.AttachSource}: a shard attached without local files is built from object storage.
 */
public final class RemoteSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteSync.class);

    /** How often to look for new data, and the longest wait after repeated failures. */
    public record Settings(Duration interval, Duration maxBackoff) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    private record Key(TenantShardId tenant, TimelineId timeline, Generation generation) {}

    private record Failure(int count, long retryAtNanos) {}

    private final RemoteStorage storage;
    private final TenantManager tenants;
    private final GenerationValidator validator;
    private final Path scratch;
    private final Settings settings;
    private final SyncStats stats = new SyncStats();
    private final TenantDownloader downloader;
    private final Map<Key, TimelineUploader> uploaders = new ConcurrentHashMap<>();
    private final Map<Key, Failure> failures = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Thread thread;

    /**
     * @param scratch a directory of this node for temporary files (uploads, downloads, attaches in progress)
     */
    public RemoteSync(
            RemoteStorage storage,
            TenantManager tenants,
            GenerationValidator validator,
            Path scratch,
            Settings settings) {
        this.storage = storage;
        this.tenants = tenants;
        this.validator = validator;
        this.scratch = scratch;
        this.settings = settings;
        this.downloader = new TenantDownloader(storage, validator, scratch);
    }

    /** Becomes the tenant manager's attach source and starts uploading. */
    public void start() throws IOException {
        FileTrees.deleteRecursively(scratch); // what an interrupted attach or upload left
        tenants.attachSource(this::fill);
        thread = Thread.ofVirtual().name("remote-sync").start(this::run);
    }

    public SyncStats stats() {
        return stats;
    }

    private void fill(TenantShardId id, Path dir, LocationConfig config) throws IOException {
        downloader.fill(id, dir, Generation.of(config.generation()));
    }

    private void run() {
        while (!closed) {
            try {
                syncOnce();
            } catch (RuntimeException e) {
                LOG.warn("remote sync pass failed: {}", e.toString(), e);
            }
            LockSupport.parkNanos(settings.interval().toNanos());
        }
    }

    /** One pass over every attached tenant shard and timeline (also called by tests). */
    public synchronized void syncOnce() {
        Set<Key> live = new HashSet<>();
        for (Tenant tenant : tenants.tenants()) {
            Optional<AttachmentMode> mode = attachmentMode(tenant.location());
            if (mode.isEmpty()) {
                continue;
            }
            Generation generation = Generation.of(tenant.location().generation());
            for (Timeline timeline : tenant.timelines().stream()
                    .sorted(Comparator.comparingInt(RemoteSync::depth))
                    .toList()) {
                Key key = new Key(tenant.id(), timeline.id(), generation);
                live.add(key);
                if (closed) {
                    return;
                }
                Failure failure = failures.get(key);
                if (failure != null && System.nanoTime() - failure.retryAtNanos() < 0) {
                    continue;
                }
                TimelineUploader uploader = uploaders.compute(
                        key,
                        (k, existing) -> existing != null && existing.timeline() == timeline
                                ? existing
                                : uploader(tenant, timeline, generation));
                try {
                    uploader.sync();
                    if (failure != null) {
                        LOG.info("remote sync of {}/{} works again", tenant.id(), timeline.id());
                        failures.remove(key);
                    }
                } catch (RuntimeException e) {
                    stats.failed();
                    int count = failure == null ? 1 : failure.count() + 1;
                    long backoff = Math.min(
                            settings.maxBackoff().toNanos(), settings.interval().toNanos() << Math.min(count, 20));
                    failures.put(key, new Failure(count, System.nanoTime() + backoff));
                    LOG.warn(
                            "remote sync of {}/{} failed ({} in a row, next try in {} ms): {}",
                            tenant.id(),
                            timeline.id(),
                            count,
                            backoff / 1_000_000,
                            e.toString());
                }
            }
        }
        uploaders.keySet().retainAll(live);
        failures.keySet().retainAll(live);
    }

    private TimelineUploader uploader(Tenant tenant, Timeline timeline, Generation generation) {
        Supplier<AttachmentMode> mode = () -> attachmentMode(tenant.location()).orElse(AttachmentMode.STALE);
        RemoteTimelineClient client =
                new RemoteTimelineClient(storage, tenant.id(), timeline.id(), generation, validator, mode);
        return new TimelineUploader(tenant, timeline, client, mode, scratch.resolve("upload"), stats);
    }

    private static int depth(Timeline timeline) {
        int depth = 0;
        for (Optional<Timeline> a = timeline.ancestor();
                a.isPresent();
                a = a.get().ancestor()) {
            depth++;
        }
        return depth;
    }

    /** The attachment mode of a location, or empty when this node does not hold the shard attached. */
    static Optional<AttachmentMode> attachmentMode(LocationConfig location) {
        if (location.generation() == null) {
            return Optional.empty();
        }
        return switch (location.mode()) {
            case AttachedSingle -> Optional.of(AttachmentMode.SINGLE);
            case AttachedMulti -> Optional.of(AttachmentMode.MULTI);
            case AttachedStale -> Optional.of(AttachmentMode.STALE);
            default -> Optional.empty();
        };
    }

    /** Stops the uploader (waiting for the pass in progress) and closes the storage. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                if (!t.join(Duration.ofSeconds(30))) {
                    LOG.warn("remote sync did not stop within 30s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        storage.close();
    }
}
