package io.xenondb.storagenode.tenant;

import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.shared.basebackup.BasebackupInfo;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.DurableFiles;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.basebackup.BasebackupWriter;
import io.xenondb.storagenode.image.ChangeSink;
import io.xenondb.storagenode.image.FileSink;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.ingest.WalNodeDirectory;
import io.xenondb.storagenode.ingest.WalReceiver;
import io.xenondb.storagenode.timeline.Timeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tenant shard on this storage node, and what runs for them: WAL ingest for each timeline, and images made
 * when a timeline's WAL since its newest image passes the tenant's {@code checkpoint_distance}. The directory
 * layout is {@code <workdir>/tenants/<tenant_shard_id>/}.
 */
public final class TenantManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TenantManager.class);

    /** The superuser initdb creates in every bootstrapped timeline, as in Neon. */
    public static final String SUPERUSER = Bootstrap.SUPERUSER;

    /** How the node behaves; see the node's flags. */
    public record Settings(Duration lsnWait, Duration imageCheckInterval, WalReceiver.Settings ingest) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(60), Duration.ofSeconds(1), WalReceiver.Settings.defaults());
        }
    }

    private final NodeId nodeId;
    private final Path tenantsDir;

    private final Clock clock;
    private final PostgresBinaries binaries;
    private final ImageMaker imageMaker;
    private final WalNodeDirectory walNodes;
    private final Settings settings;
    private final Map<TenantShardId, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<Timeline, WalReceiver> receivers = new ConcurrentHashMap<>();
    private final Map<Timeline, java.util.concurrent.locks.ReentrantLock> imaging = new ConcurrentHashMap<>();
    private final Map<TenantShardId, java.time.Instant> lastGc = new ConcurrentHashMap<>();
    // Remote sync hook: fills the directory of a tenant shard attached here without local files (from object
    // storage); the default leaves it empty.
    private volatile AttachSource attachSource = (id, dir, config) -> {};
    // With object storage, GC keeps local WAL that is not uploaded yet (above remote_consistent_lsn).
    private volatile boolean uploading;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tenant-ticker").daemon().factory());
    // Images take seconds (a PostgreSQL replays WAL): they run here, never delaying ingest's ticks.
    private final ScheduledExecutorService imager = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tenant-images").daemon().factory());

    public TenantManager(
            NodeId nodeId,
            Path workdir,
            Clock clock,
            PostgresBinaries binaries,
            ImageMaker imageMaker,
            WalNodeDirectory walNodes,
            Settings settings) {
        this.nodeId = nodeId;
        this.tenantsDir = workdir.resolve("tenants");
        this.clock = clock;
        this.binaries = binaries;
        this.imageMaker = imageMaker;
        this.walNodes = walNodes;
        this.settings = settings;
    }

    /** Loads every tenant from disk and starts ingest and the image checks. */
    public void start() throws IOException {
        DurableFiles.createDirectories(tenantsDir);
        ScratchDirectory.clean(tenantsDir.resolveSibling("tmp"));
        try (Stream<Path> dirs = Files.list(tenantsDir)) {
            for (Path dir : dirs.toList()) {
                TenantShardId id = TenantShardId.parse(dir.getFileName().toString());
                try {
                    Tenant tenant = Tenant.load(id, dir, clock);
                    tenants.put(id, tenant);
                    tenant.timelines().forEach(this::startIngest);
                } catch (IOException | RuntimeException e) {
                    LOG.error("tenant {} could not be loaded: {}", id, e.toString(), e);
                }
            }
        }
        startTasks();
    }

    /**
     * Starts with exactly the tenant shards the storage controller's re-attach answered, in their new locations:
     * those on local disk load from it, the others attach as a new location does (from remote storage when there
     * is one); local shards not in the answer are detached (their local files go, remote objects stay).
     */
    public void start(Map<TenantShardId, LocationConfig> answered) throws IOException {
        DurableFiles.createDirectories(tenantsDir);
        ScratchDirectory.clean(tenantsDir.resolveSibling("tmp"));
        Map<TenantShardId, LocationConfig> remaining = new java.util.LinkedHashMap<>(answered);
        try (Stream<Path> dirs = Files.list(tenantsDir)) {
            for (Path dir : dirs.toList()) {
                if (dir.getFileName().toString().endsWith(".___deleted")) {
                    FileTrees.deleteRecursively(dir); // a drop a crash interrupted
                    continue;
                }
                TenantShardId id;
                try {
                    id = TenantShardId.parse(dir.getFileName().toString());
                } catch (XenonException e) {
                    LOG.warn("{} is not a tenant shard directory: left alone", dir);
                    continue;
                }
                LocationConfig location = remaining.remove(id);
                try {
                    if (location == null) {
                        LOG.info("tenant {}: not attached here any more (re-attach): dropping its local state", id);
                        dropDirectory(dir);
                    } else {
                        loadReattached(id, dir, location);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.error("tenant {} could not be re-attached: {}", id, e.toString(), e);
                }
            }
        }
        remaining.forEach((id, location) -> {
            try {
                setLocation(id, location);
            } catch (RuntimeException e) {
                LOG.error("tenant {} could not be attached in {}: {}", id, location.generation(), e.toString(), e);
            }
        });
        LOG.info("storage node {}: re-attached {} tenant shard(s)", nodeId, tenants.size());
        startTasks();
    }

    private void loadReattached(TenantShardId id, Path dir, LocationConfig answered) throws IOException {
        Tenant tenant = Tenant.load(id, dir, clock);
        Long held = tenant.location().generation();
        if (held != null && answered.generation() != null && answered.generation() < held) {
            tenant.close();
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "re-attach answered generation " + answered.generation() + ", older than the one held here (" + held
                            + "): not loaded, local files kept");
        }
        // Neon's answer has no settings: the ones on disk stay unless the controller sent them.
        boolean withSettings = !answered.tenantConf().equals(TenantConf.defaults());
        tenant.updateLocation(new LocationConfig(
                answered.mode(),
                answered.generation(),
                answered.secondaryConf(),
                answered.shardNumber(),
                answered.shardCount(),
                answered.shardStripeSize(),
                withSettings ? answered.tenantConf() : tenant.location().tenantConf()));
        tenants.put(id, tenant);
        tenant.timelines().forEach(this::startIngest);
    }

    private void dropDirectory(Path dir) throws IOException {
        Path doomed = dir.resolveSibling(dir.getFileName() + ".___deleted");
        Files.move(dir, doomed);
        DurableFiles.syncDirectory(tenantsDir);
        FileTrees.deleteRecursively(doomed);
    }

    private void startTasks() {
        long tick = settings.ingest().retry().toMillis();
        ticker.scheduleWithFixedDelay(this::tickReceivers, tick, tick, TimeUnit.MILLISECONDS);
        long check = settings.imageCheckInterval().toMillis();
        imager.scheduleWithFixedDelay(this::checkImages, check, check, TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::periodicGc, 10, 10, TimeUnit.SECONDS);
        LOG.info("storage node {}: {} tenant shard(s) loaded from {}", nodeId, tenants.size(), tenantsDir);
    }

    /** Fills the directory of a tenant shard that is attached here but has no local files (remote sync hook). */
    @FunctionalInterface
    public interface AttachSource {
        /** Creates {@code dir} with the tenant's files, or leaves it absent when there is nothing to fetch. */
        void fill(TenantShardId id, Path dir, LocationConfig config) throws IOException;
    }

    /** Sets where new attachments get their files from (remote sync hook). */
    public void attachSource(AttachSource source) {
        this.uploading = true;
        this.attachSource = source;
    }

    public NodeId nodeId() {
        return nodeId;
    }

    public List<Tenant> tenants() {
        return List.copyOf(tenants.values());
    }

    /** The tenant shard, or NOT_FOUND naming it. */
    public Tenant tenant(TenantShardId id) {
        Tenant tenant = tenants.get(id);
        if (tenant == null) {
            throw new XenonException(ErrorCode.NOT_FOUND, "tenant " + id + " not found");
        }
        return tenant;
    }

    /**
     * Applies a location config: an attached or secondary mode creates the tenant shard here (or updates its
     * generation and settings); {@code Detached} removes it and its local files. A generation lower than the
     * one held is refused: that request comes from an outdated controller decision.
     */
    public synchronized void setLocation(TenantShardId id, LocationConfig config) {
        Tenant existing = tenants.get(id);
        try {
            if (config.mode() == LocationConfigMode.Detached) {
                if (existing != null) {
                    remove(existing);
                }
                return;
            }
            if (existing != null) {
                Long held = existing.location().generation();
                if (held != null && config.generation() != null && config.generation() < held) {
                    throw new XenonException(
                            ErrorCode.CONFLICT,
                            "tenant " + id + ": generation " + config.generation()
                                    + " is older than the one held here (" + held + ")");
                }
                existing.updateLocation(config);
                return;
            }
            Path dir = tenantsDir.resolve(id.toString());
            if (config.mode().isAttached() && !Files.exists(dir)) {
                attachSource.fill(id, dir, config); // remote sync hook
            }
            Tenant tenant = Tenant.createOrLoad(id, dir, clock, config);
            tenants.put(id, tenant);
            tenant.timelines().forEach(this::startIngest);
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "setting the location of " + id + " failed: " + e, e);
        }
    }

    /** Deletes the tenant shard and everything of it on this node. */
    public synchronized void deleteTenant(TenantShardId id) {
        try {
            remove(tenant(id));
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "deleting tenant " + id + " failed: " + e, e);
        }
    }

    private void remove(Tenant tenant) throws IOException {
        tenants.remove(tenant.id());
        tenant.timelines().forEach(this::stopIngest);
        tenant.close();
        Path doomed = tenant.directory().resolveSibling(tenant.id() + ".___deleted");
        Files.move(tenant.directory(), doomed);
        DurableFiles.syncDirectory(tenantsDir);
        FileTrees.deleteRecursively(doomed);
    }

    /** Creates a timeline (bootstrap or branch) and starts its ingest. */
    public Timeline createTimeline(TenantShardId id, TimelineCreateRequest request) {
        Tenant tenant = attached(id);
        if (request.isBranch() && request.ancestorStartLsn() == null && walNodes != null) {
            // "Branch at the tip" means at everything committed so far, not at what ingest has reached yet.
            TenantTimelineId ancestor = new TenantTimelineId(id.tenantId(), request.ancestorTimelineId());
            Optional<Lsn> tip = walNodes.quorumFlushLsn(ancestor, Duration.ofSeconds(2));
            if (tip.isPresent()) {
                request = new TimelineCreateRequest(
                        request.newTimelineId(),
                        request.ancestorTimelineId(),
                        tip.get(),
                        request.readOnly(),
                        request.pgVersion(),
                        null,
                        null);
            }
        }
        Timeline timeline = tenant.createTimeline(request, binaries, imageMaker, settings.lsnWait());
        startIngest(timeline);
        return timeline;
    }

    /** Stops ingest of a timeline and deletes it. */
    public void deleteTimeline(TenantShardId id, TimelineId timelineId) {
        Tenant tenant = tenant(id);
        stopIngest(tenant.timeline(timelineId));
        tenant.deleteTimeline(timelineId);
    }

    private Tenant attached(TenantShardId id) {
        Tenant tenant = tenant(id);
        if (!tenant.location().mode().isAttached()) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "tenant " + id + " is " + tenant.location().mode() + " on this node, not attached");
        }
        return tenant;
    }

    /**
     * Resolves the LSN of a read: 0 means the tip; an LSN beyond the tip is waited for; the result is the
     * greatest record boundary at or below it, at or above the oldest readable LSN.
     */
    public Lsn readLsn(Timeline timeline, Lsn requested) {
        Lsn lsn = requested.isValid() ? requested : timeline.lastRecordLsn();
        if (lsn.isAfter(timeline.lastRecordLsn())) {
            Tenant.waitFor(timeline, lsn, settings.lsnWait());
        }
        Lsn floor = tenant(timeline.tenant()).oldestReadable(timeline, lsn, clock.instant());
        if (lsn.isBefore(floor)) {
            throw new XenonException(
                    ErrorCode.LSN_NOT_AVAILABLE,
                    "lsn " + lsn + " of timeline " + timeline.id() + " is below its oldest readable lsn " + floor
                            + " (garbage-collected, and not leased)");
        }
        return Lsn.max(floor, timeline.snapToRecordBoundary(lsn));
    }

    /**
     * Writes the base backup of {@code timeline} at {@code lsn} (see {@link #readLsn}) to {@code out}; returns the
     * LSN it is at.
     */
    public Lsn basebackup(TenantShardId id, TimelineId timelineId, Lsn requested, OutputStream out) {
        return basebackup(id, timelineId, requested, Lsn.INVALID, out);
    }

    /**
     * Writes the base backup of {@code timeline} at {@code lsn} (see {@link #readLsn}) to {@code out}; returns the
     * LSN it is at. With a valid {@code sinceImage} (the client holds the image at that LSN of this timeline's
     * history) only what changed since that image is sent, when this history has an image at exactly that LSN at
     * or below the one the backup is made from; else the backup is whole and its info file says why.
     */
    public Lsn basebackup(TenantShardId id, TimelineId timelineId, Lsn requested, Lsn sinceImage, OutputStream out) {
        Tenant tenant = tenant(id);
        Timeline timeline = tenant.timeline(timelineId);
        Lsn lsn = readLsn(timeline, requested);
        Image image = tenant.imageOf(timeline, lsn)
                .orElseThrow(() -> new XenonException(
                        ErrorCode.INTERNAL, "no image of timeline " + timelineId + " at or below " + lsn));
        Optional<Image> base = Optional.empty();
        String fullReason = "requested";
        if (sinceImage.isValid()) {
            // The image a base backup of this timeline at sinceImage was made from: the same walk as any backup.
            base = sinceImage.isAfter(image.lsn())
                    ? Optional.empty()
                    : tenant.imageOf(timeline, sinceImage).filter(i -> i.lsn().equals(sinceImage));
            fullReason = base.isPresent()
                    ? null
                    : sinceImage.isAfter(image.lsn())
                            ? "image " + sinceImage + " is newer than the image " + image.lsn() + " of this backup"
                            : "no image at " + sinceImage + " in the history of timeline " + timelineId;
        }
        try {
            BasebackupWriter writer = new BasebackupWriter(out);
            if (base.isPresent()) {
                writer.info(BasebackupInfo.incremental(
                        lsn,
                        image.redoLsn(),
                        image.lsn(),
                        imageId(image),
                        base.get().lsn(),
                        imageId(base.get())));
                tenant.images().forEachChange(base.get(), image, new ChangeSink() {
                    @Override
                    public void paths(List<String> directories, List<String> files) throws IOException {
                        writer.manifest(directories, files);
                    }

                    @Override
                    public void directory(String path) throws IOException {
                        writer.directory(path);
                    }

                    @Override
                    public void file(String path, long size, InputStream content) throws IOException {
                        writer.file(path, size, content);
                    }

                    @Override
                    public void delta(String path, long newSize, int[] blocks, InputStream pages) throws IOException {
                        writer.delta(path, newSize, blocks, pages);
                    }
                });
            } else {
                writer.info(BasebackupInfo.full(lsn, image.redoLsn(), image.lsn(), imageId(image), fullReason));
                tenant.images().forEachFile(image, new FileSink() {
                    @Override
                    public void directory(String path) throws IOException {
                        writer.directory(path);
                    }

                    @Override
                    public void file(String path, long size, InputStream content) throws IOException {
                        writer.file(path, size, content);
                    }
                });
            }
            writer.finish(timeline.history(), image.redoLsn(), lsn);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "writing the base backup of " + timelineId + " at " + lsn + " failed: " + e,
                    e);
        }
        imageForReadsAt(tenant, timeline, image, lsn);
        return lsn;
    }

    /**
     * A read at {@code lsn} had to replay more WAL than checkpoint_distance from the newest image below it: no
     * image covers that LSN well, so one is made there in the background (DESIGN.md §4), and the next read at or
     * after it starts from it.
     */
    private void imageForReadsAt(Tenant tenant, Timeline timeline, Image used, Lsn lsn) {
        long threshold = tenant.location().tenantConf().checkpointDistanceOrDefault();
        if (lsn.minus(used.lsn()) < threshold || !tenant.location().mode().isAttached()) {
            return;
        }
        imager.execute(() -> {
            try {
                makeImage(tenant, timeline, lsn, true);
            } catch (RuntimeException e) {
                LOG.warn("image of {}/{} at {} for reads failed: {}", tenant.id(), timeline.id(), lsn, e.toString());
            }
        });
    }

    /** Names one stored image: made again at the same LSN (after GC), it gets another creation time. */
    private static String imageId(Image image) {
        return image.name() + "@" + image.createdAt().toEpochMilli();
    }

    /** Runs GC on one timeline now ({@code do_gc}); {@code horizon} overrides the tenant's gc_horizon. */
    public GarbageCollector.Result gc(TenantShardId id, TimelineId timelineId, Optional<Long> horizon) {
        Tenant tenant = attached(id);
        Timeline timeline = tenant.timeline(timelineId);
        synchronized (timeline) {
            try {
                Lsn keepFrom = uploading ? timeline.remoteConsistentLsn() : Lsn.MAX;
                return GarbageCollector.collect(tenant, timeline, clock.instant(), horizon, keepFrom);
            } catch (IOException e) {
                throw new XenonException(ErrorCode.UNAVAILABLE, "gc of " + timelineId + " failed: " + e, e);
            }
        }
    }

    private void periodicGc() {
        java.time.Instant now = clock.instant();
        for (Tenant tenant : tenants.values()) {
            Duration period = tenant.location().tenantConf().gcPeriodOrDefault();
            if (period.isZero() || tenant.location().mode() != LocationConfigMode.AttachedSingle) {
                continue;
            }
            java.time.Instant last = lastGc.getOrDefault(tenant.id(), java.time.Instant.EPOCH);
            if (last.plus(period).isAfter(now)) {
                continue;
            }
            lastGc.put(tenant.id(), now);
            for (Timeline timeline : tenant.timelines()) {
                try {
                    gc(tenant.id(), timeline.id(), Optional.empty());
                } catch (RuntimeException e) {
                    LOG.warn("gc of {}/{} failed: {}", tenant.id(), timeline.id(), e.toString());
                }
            }
        }
    }

    /** Makes an image of {@code timeline} at its tip now, unless its newest image is already there. */
    public Optional<Image> checkpoint(TenantShardId id, TimelineId timelineId) {
        Tenant tenant = tenant(id);
        Timeline timeline = tenant.timeline(timelineId);
        return makeImage(tenant, timeline, timeline.lastRecordLsn(), true);
    }

    /**
     * Makes an image of the timeline at {@code target}: when asked ({@code force}), after any image being made
     * now; else only if none is being made and the WAL since the newest image passed checkpoint_distance.
     */
    private Optional<Image> makeImage(Tenant tenant, Timeline timeline, Lsn target, boolean force) {
        java.util.concurrent.locks.ReentrantLock lock =
                imaging.computeIfAbsent(timeline, t -> new java.util.concurrent.locks.ReentrantLock());
        if (force) {
            lock.lock();
        } else if (!lock.tryLock()) {
            return Optional.empty();
        }
        try {
            Image base = tenant.imageOf(timeline, target)
                    .orElseThrow(() -> new XenonException(
                            ErrorCode.INTERNAL, "no image of timeline " + timeline.id() + " to start a replay from"));
            long distance = target.minus(base.lsn());
            long threshold = tenant.location().tenantConf().checkpointDistanceOrDefault();
            if (distance == 0 || (!force && distance < threshold)) {
                return Optional.empty();
            }
            LOG.info(
                    "making an image of {}/{} at {} from the image at {} ({} bytes of WAL)",
                    tenant.id(),
                    timeline.id(),
                    target,
                    base.lsn(),
                    distance);
            return Optional.of(imageMaker.make(tenant.images(), base, timeline.id(), timeline.history(), target));
        } finally {
            lock.unlock();
        }
    }

    private void checkImages() {
        for (Tenant tenant : tenants.values()) {
            if (tenant.location().mode() != LocationConfigMode.AttachedSingle
                    && tenant.location().mode() != LocationConfigMode.AttachedMulti) {
                continue;
            }
            for (Timeline timeline : tenant.timelines()) {
                try {
                    makeImage(tenant, timeline, timeline.lastRecordLsn(), false);
                } catch (RuntimeException e) {
                    LOG.warn("image of {}/{} failed: {}", tenant.id(), timeline.id(), e.toString(), e);
                }
            }
        }
    }

    private void startIngest(Timeline timeline) {
        if (walNodes == null || timeline.metadata().readOnly()) {
            return;
        }
        receivers.computeIfAbsent(timeline, t -> {
            WalReceiver receiver = new WalReceiver(t, walNodes, settings.ingest(), clock, nodeId);
            receiver.start();
            return receiver;
        });
    }

    private void stopIngest(Timeline timeline) {
        imaging.remove(timeline);
        WalReceiver receiver = receivers.remove(timeline);
        if (receiver != null) {
            receiver.close();
        }
    }

    /** The WAL receiver of a timeline, if it ingests. */
    public Optional<WalReceiver> receiver(Timeline timeline) {
        return Optional.ofNullable(receivers.get(timeline));
    }

    private void tickReceivers() {
        receivers.values().forEach(r -> {
            try {
                r.tick();
            } catch (RuntimeException e) {
                LOG.warn("ingest tick failed: {}", e.toString());
            }
        });
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        imager.shutdownNow();
        receivers.values().forEach(WalReceiver::close);
        receivers.clear();
        tenants.values().forEach(Tenant::close);
        tenants.clear();
    }
}
