package io.xenondb.storagenode.tenant;

import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.DurableFiles;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.image.ImageStore;
import io.xenondb.storagenode.timeline.Timeline;
import io.xenondb.storagenode.timeline.TimelineMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One tenant shard attached to this storage node: its location config ({@code tenant.json}), its timelines (the
 * branch tree) and its images. Creating and deleting timelines is serialised per tenant; reads run concurrently.
 */
public final class Tenant implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tenant.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CONFIG_FILE = "tenant.json";
    private static final String TIMELINES = "timelines";

    private final TenantShardId id;
    private final Path dir;
    private final Clock clock;
    private final ImageStore images;
    private final Map<TimelineId, Timeline> timelines = new ConcurrentHashMap<>();
    private final LsnLeases leases = new LsnLeases();
    private volatile LocationConfig location;

    private Tenant(TenantShardId id, Path dir, Clock clock, LocationConfig location, ImageStore images) {
        this.id = id;
        this.dir = dir;
        this.clock = clock;
        this.location = location;
        this.images = images;
    }

    /** Creates the tenant's directory with {@code location}, or opens it if it exists. */
    static Tenant createOrLoad(TenantShardId id, Path dir, Clock clock, LocationConfig location) throws IOException {
        DurableFiles.createDirectories(dir.resolve(TIMELINES));
        DurableFiles.writeAtomically(dir.resolve(CONFIG_FILE), JSON.writeValueAsBytes(location));
        return load(id, dir, clock);
    }

    /** Opens the tenant in {@code dir}: its config, images and every timeline, ancestors first. */
    static Tenant load(TenantShardId id, Path dir, Clock clock) throws IOException {
        LocationConfig location = JSON.readValue(Files.readAllBytes(dir.resolve(CONFIG_FILE)), LocationConfig.class);
        Tenant tenant = new Tenant(id, dir, clock, location, ImageStore.open(dir.resolve("images"), clock));
        tenant.loadTimelines();
        return tenant;
    }

    private void loadTimelines() throws IOException {
        Map<TimelineId, TimelineMetadata> found = new HashMap<>();
        try (Stream<Path> entries = Files.list(dir.resolve(TIMELINES))) {
            for (Path path : entries.toList()) {
                String name = path.getFileName().toString();
                if (name.endsWith(".___temp") || name.endsWith(".___deleted")) {
                    FileTrees.deleteRecursively(path); // an interrupted create or delete
                    continue;
                }
                found.put(TimelineId.parse(name), Timeline.readMetadata(path));
            }
        }
        List<TimelineMetadata> pending = new ArrayList<>(found.values());
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                TimelineMetadata md = it.next();
                Optional<TimelineId> ancestor = md.ancestor();
                if (ancestor.isPresent() && !timelines.containsKey(ancestor.get())) {
                    if (!found.containsKey(ancestor.get())) {
                        LOG.error(
                                "timeline {} of {} has no ancestor {} here: not loaded",
                                md.timelineId(),
                                id,
                                ancestor.get());
                        it.remove();
                    }
                    continue;
                }
                Timeline timeline = Timeline.load(
                        id,
                        timelineDir(md.timelineId()),
                        ancestor.map(timelines::get).orElse(null));
                if (ancestor.isEmpty()
                        && imageOf(timeline, timeline.lastRecordLsn()).isEmpty()) {
                    // The node stopped between initdb and the bootstrap image: the timeline never existed.
                    LOG.warn(
                            "timeline {} of {} has no bootstrap image: removing the incomplete bootstrap",
                            md.timelineId(),
                            id);
                    timeline.close();
                    removeTimelineDir(md.timelineId());
                } else {
                    timelines.put(md.timelineId(), timeline);
                }
                it.remove();
                progress = true;
            }
            if (!progress) {
                break;
            }
        }
    }

    public TenantShardId id() {
        return id;
    }

    public LocationConfig location() {
        return location;
    }

    public ImageStore images() {
        return images;
    }

    /** The LSN leases readers hold on this tenant shard's timelines (GC keeps what they need). */
    public LsnLeases leases() {
        return leases;
    }

    /** Replaces the location config (same directory, new generation or settings). */
    synchronized void updateLocation(LocationConfig updated) throws IOException {
        DurableFiles.writeAtomically(dir.resolve(CONFIG_FILE), JSON.writeValueAsBytes(updated));
        location = updated;
    }

    public List<Timeline> timelines() {
        return List.copyOf(timelines.values());
    }

    /** The timeline, or NOT_FOUND naming it. */
    public Timeline timeline(TimelineId timelineId) {
        Timeline timeline = timelines.get(timelineId);
        if (timeline == null) {
            throw new XenonException(ErrorCode.NOT_FOUND, "timeline " + timelineId + " of tenant " + id + " not found");
        }
        return timeline;
    }

    /**
     * Creates a timeline: by initdb, or as a branch. Creating one that exists with the same ancestry succeeds
     * and changes nothing; with another ancestry it is a CONFLICT.
     */
    public synchronized Timeline createTimeline(
            TimelineCreateRequest request, PostgresBinaries binaries, ImageMaker maker, Duration lsnWait) {
        Timeline existing = timelines.get(request.newTimelineId());
        if (existing != null) {
            TimelineMetadata md = existing.metadata();
            boolean same = request.isBranch()
                    ? request.ancestorTimelineId().equals(md.ancestorTimelineId())
                            && (request.ancestorStartLsn() == null
                                    || existing.snapToRecordBoundary(request.ancestorStartLsn())
                                            .equals(md.ancestorLsn()))
                    : md.ancestorTimelineId() == null;
            if (same) {
                return existing;
            }
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "timeline " + request.newTimelineId() + " of tenant " + id
                            + " already exists with another ancestry");
        }
        try {
            Timeline created =
                    request.isBranch() ? branch(request, lsnWait) : bootstrap(request.newTimelineId(), binaries, maker);
            timelines.put(created.id(), created);
            return created;
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "creating timeline " + request.newTimelineId() + " of tenant " + id + " failed: " + e,
                    e);
        }
    }

    private Timeline bootstrap(TimelineId timelineId, PostgresBinaries binaries, ImageMaker maker) throws IOException {
        Path scratch = dir.resolve("tmp").resolve("initdb-" + timelineId);
        FileTrees.deleteRecursively(scratch);
        Files.createDirectories(scratch.getParent());
        try {
            Bootstrap.Result initdb = Bootstrap.initdb(binaries, scratch);
            TimelineMetadata metadata =
                    TimelineMetadata.bootstrap(timelineId, initdb.walStart(), initdb.initdbLsn(), 17, clock.instant());
            Timeline timeline = Timeline.create(id, timelineDir(timelineId), metadata, null, initdb.wal());
            maker.bootstrap(images, timelineId, scratch, timeline.history(), initdb.initdbLsn());
            LOG.info("bootstrapped timeline {} of {} at {}", timelineId, id, initdb.initdbLsn());
            return timeline;
        } finally {
            FileTrees.deleteRecursively(scratch);
        }
    }

    private Timeline branch(TimelineCreateRequest request, Duration lsnWait) throws IOException {
        Timeline ancestor = timelines.get(request.ancestorTimelineId());
        if (ancestor == null) {
            throw new XenonException(
                    ErrorCode.NOT_FOUND,
                    "ancestor timeline " + request.ancestorTimelineId() + " of tenant " + id + " not found");
        }
        Lsn wanted = request.ancestorStartLsn() == null ? ancestor.lastRecordLsn() : request.ancestorStartLsn();
        if (wanted.isAfter(ancestor.lastRecordLsn())) {
            waitFor(ancestor, wanted, lsnWait);
        }
        Lsn floor = oldestReadable(ancestor, wanted, clock.instant());
        if (wanted.isBefore(floor)) {
            throw new XenonException(
                    ErrorCode.LSN_NOT_AVAILABLE,
                    "invalid branch start lsn: " + wanted + " is below the oldest point timeline " + ancestor.id()
                            + " can be branched at (" + floor + ")");
        }
        Lsn branchLsn = ancestor.snapToRecordBoundary(wanted);
        if (branchLsn.isBefore(floor)) {
            branchLsn = floor;
        }
        TimelineMetadata metadata = TimelineMetadata.branch(
                request.newTimelineId(), ancestor.metadata(), branchLsn, request.readOnlyOrDefault(), clock.instant());
        LOG.info("branched timeline {} of {} from {} at {}", request.newTimelineId(), id, ancestor.id(), branchLsn);
        return Timeline.create(id, timelineDir(request.newTimelineId()), metadata, ancestor, ByteBuffer.allocate(0));
    }

    /**
     * The oldest LSN a branch of (or a read on) {@code timeline} may start at: not below its own start (its
     * branch point, or initdb's end for a root), nor below its GC cutoff.
     */
    public static Lsn oldestBranchPoint(Timeline timeline) {
        TimelineMetadata md = timeline.metadata();
        Lsn start = md.ancestor().isPresent() ? md.ancestorLsn() : md.initdbLsn();
        return Lsn.max(start, md.gcCutoffLsn());
    }

    /**
     * The oldest LSN a read at {@code lsn} (or a branch there) may use: {@link #oldestBranchPoint}, or lower down
     * to the timeline's start where an active LSN lease at or below {@code lsn} keeps the data (GC keeps what a
     * lease needs).
     */
    Lsn oldestReadable(Timeline timeline, Lsn lsn, java.time.Instant now) {
        Lsn floor = oldestBranchPoint(timeline);
        if (!lsn.isBefore(floor)) {
            return floor;
        }
        TimelineMetadata md = timeline.metadata();
        Lsn start = md.ancestor().isPresent() ? md.ancestorLsn() : md.initdbLsn();
        boolean leased = leases.active(timeline.id(), now).keySet().stream()
                .anyMatch(l -> !l.isAfter(lsn) && !l.isBefore(start));
        return leased ? start : floor;
    }

    /** Waits until {@code timeline}'s WAL reaches {@code lsn}; UNAVAILABLE after {@code timeout}. */
    public static Lsn waitFor(Timeline timeline, Lsn lsn, Duration timeout) {
        try {
            return timeline.waitForLsn(lsn, timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof XenonException x) {
                throw x;
            }
            throw new XenonException(ErrorCode.UNAVAILABLE, "waiting for " + lsn + " failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "timed out waiting for the WAL to reach " + lsn);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted waiting for " + lsn);
        }
    }

    /** The newest image at or below {@code lsn} along {@code timeline}'s ancestry. */
    public Optional<Image> imageOf(Timeline timeline, Lsn lsn) {
        Lsn limit = lsn;
        for (Timeline t = timeline; t != null; t = t.ancestor().orElse(null)) {
            Optional<Image> image = images.newestAtOrBelow(t.id(), limit);
            if (image.isPresent()) {
                return image;
            }
            limit = Lsn.min(limit, t.metadata().ancestorLsn());
        }
        return Optional.empty();
    }

    /** Deletes a timeline without children: its WAL, its images, its directory. */
    public synchronized void deleteTimeline(TimelineId timelineId) {
        Timeline timeline = timeline(timelineId);
        List<TimelineId> children = timelines.values().stream()
                .filter(t -> timelineId.equals(t.metadata().ancestorTimelineId()))
                .map(Timeline::id)
                .toList();
        if (!children.isEmpty()) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "timeline " + timelineId + " of tenant " + id + " has child timelines " + children
                            + ": delete them first");
        }
        timelines.remove(timelineId);
        leases.forget(timelineId);
        try {
            timeline.close();
            for (Image image : images.images()) {
                if (image.timeline().equals(timelineId)) {
                    images.delete(image);
                }
            }
            removeTimelineDir(timelineId);
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "deleting timeline " + timelineId + " failed: " + e, e);
        }
    }

    private void removeTimelineDir(TimelineId timelineId) throws IOException {
        Path path = timelineDir(timelineId);
        Path doomed = path.resolveSibling(path.getFileName() + ".___deleted");
        Files.move(path, doomed);
        DurableFiles.syncDirectory(path.getParent());
        FileTrees.deleteRecursively(doomed);
    }

    private Path timelineDir(TimelineId timelineId) {
        return dir.resolve(TIMELINES).resolve(timelineId.toString());
    }

    /** Bytes this tenant shard takes locally: images and every timeline's WAL. */
    public long physicalSize() {
        return images.physicalSize()
                + timelines.values().stream()
                        .mapToLong(Timeline::walPhysicalSize)
                        .sum();
    }

    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        for (Timeline timeline : timelines.values()) {
            try {
                timeline.close();
            } catch (IOException e) {
                LOG.warn("closing timeline {} failed: {}", timeline.id(), e.toString());
            }
        }
        images.close();
    }
}
