package io.xenondb.storagenode.tenant;

import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.timeline.Timeline;
import io.xenondb.storagenode.wal.RecordIndex;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GC of one timeline (DESIGN.md §4): the cutoff is min(last_record_lsn − {@code gc_horizon}, the LSN at
 * now − {@code pitr_interval}), never lower than before. Below it reads and branches are refused, except at
 * what a child branch point or an LSN lease still needs. What goes: images at or below the cutoff that no
 * such point reads from, and the WAL wholly below the oldest redo point still needed.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    /** What one GC pass did (Neon's GcResult, in Xenon's terms). */
    public record Result(
            Lsn cutoff,
            int imagesTotal,
            int imagesRemoved,
            Lsn walStart,
            long bytesBefore,
            long bytesAfter,
            Duration elapsed) {}

    private GarbageCollector() {}

    /**
     * One pass over {@code timeline}; WAL at or above {@code keepFrom} (not in object storage yet) stays whatever
     * reads need.
     */
    static Result collect(Tenant tenant, Timeline timeline, Instant now, Optional<Long> horizonOverride, Lsn keepFrom)
            throws IOException {
        long started = System.nanoTime();
        long bytesBefore = tenant.physicalSize();
        TenantConf conf = tenant.location().tenantConf();
        Lsn cutoff = cutoff(timeline, conf, now, horizonOverride.orElse(conf.gcHorizonOrDefault()));
        if (cutoff.isAfter(timeline.metadata().gcCutoffLsn())) {
            Lsn newCutoff = cutoff;
            timeline.updateMetadata(md -> md.withGcCutoffLsn(newCutoff));
        } else {
            cutoff = timeline.metadata().gcCutoffLsn();
        }

        // The points at or below the cutoff that must stay readable.
        TreeSet<Lsn> retained = new TreeSet<>();
        retained.add(cutoff);
        for (Timeline child : tenant.timelines()) {
            if (timeline.id().equals(child.metadata().ancestorTimelineId())) {
                retained.add(child.metadata().ancestorLsn());
            }
        }
        retained.addAll(tenant.leases().active(timeline.id(), now).keySet());
        Lsn lastCutoff = cutoff;
        retained.removeIf(p -> p.isAfter(lastCutoff));

        // Each retained point P reads the newest image at or below it plus the WAL from that image's redo point
        // to P; the cutoff's range extends to the tip, since every read above the cutoff uses it too.
        Set<Image> needed = new HashSet<>();
        List<Lsn[]> neededWal = new ArrayList<>();
        for (Lsn point : retained) {
            Optional<Image> image = tenant.imageOf(timeline, point);
            if (image.isEmpty()) {
                continue; // nothing to read it from: GC cannot make it worse
            }
            needed.add(image.get());
            Lsn from = image.get().timeline().equals(timeline.id())
                    ? image.get().redoLsn()
                    : timeline.metadata().startLsn(); // an ancestor's image: all of this timeline's WAL is needed
            Lsn to = point.equals(cutoff) ? timeline.lastRecordLsn() : point;
            neededWal.add(new Lsn[] {from, to});
        }
        Lsn walNeededFrom =
                neededWal.stream().map(r -> r[0]).min(Lsn::compareTo).orElse(timeline.lastRecordLsn());
        List<Image> own = new ArrayList<>();
        for (Image image : tenant.images().images()) {
            if (image.timeline().equals(timeline.id())) {
                own.add(image);
            }
        }
        int removed = 0;
        for (Image image : own) {
            if (!image.lsn().isAfter(cutoff) && !needed.contains(image)) {
                tenant.images().delete(image);
                removed++;
            }
        }
        if (!keepFrom.equals(Lsn.MAX)) {
            neededWal.add(new Lsn[] {keepFrom, timeline.lastRecordLsn()});
            walNeededFrom = Lsn.min(walNeededFrom, keepFrom);
        }
        Lsn walStart = timeline.dropWalBelow(walNeededFrom);
        removeUnneededSegments(timeline, walStart, neededWal);
        Result result = new Result(
                cutoff,
                own.size(),
                removed,
                walStart,
                bytesBefore,
                tenant.physicalSize(),
                Duration.ofNanos(System.nanoTime() - started));
        LOG.info("gc of {}/{}: {}", tenant.id(), timeline.id(), result);
        return result;
    }

    /** Removes the segments between the start and the tip that no needed WAL range touches. */
    private static void removeUnneededSegments(Timeline timeline, Lsn walStart, List<Lsn[]> neededWal)
            throws IOException {
        long first = walStart.segmentNumber();
        long last = timeline.lastRecordLsn().segmentNumber(); // the tip's segment always stays
        for (long segNo = first; segNo < last; segNo++) {
            Lsn segStart = Lsn.ofSegment(segNo, Lsn.WAL_SEGMENT_SIZE);
            Lsn segEnd = Lsn.ofSegment(segNo + 1, Lsn.WAL_SEGMENT_SIZE);
            boolean used = neededWal.stream().anyMatch(r -> r[0].isBefore(segEnd) && !r[1].isBefore(segStart));
            if (!used && timeline.holdsWalSegment(segNo)) {
                timeline.removeWalSegment(segNo);
            }
        }
    }

    private static Lsn cutoff(Timeline timeline, TenantConf conf, Instant now, long horizon) {
        Lsn last = timeline.lastRecordLsn();
        Lsn floor = Tenant.oldestBranchPoint(timeline);
        Lsn space = last.value() - floor.value() > horizon ? Lsn.of(last.value() - horizon) : floor;
        Lsn time = timeCutoff(timeline, now.minus(conf.pitrIntervalOrDefault()), floor, last);
        Lsn cutoff = Lsn.max(floor, Lsn.min(space, time));
        return cutoff.equals(last) ? last : timeline.snapToRecordBoundary(cutoff);
    }

    /** The LSN at {@code when}: data older than it is outside the PITR window. */
    private static Lsn timeCutoff(Timeline timeline, Instant when, Lsn floor, Lsn last) {
        RecordIndex.CommitPoint point = timeline.index().lsnForTimestamp(when, Lsn.MAX);
        return switch (point.kind()) {
            case PRESENT -> point.lsn().orElse(floor);
            case FUTURE -> last; // every commit is older than the window
            case PAST, NODATA -> floor; // nothing (known) is older: keep everything
        };
    }
}
