package io.xenondb.storagenode.http;

import io.xenondb.shared.client.storagenode.TimelineInfo;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.tenant.Tenant;
import io.xenondb.storagenode.tenant.TenantManager;
import io.xenondb.storagenode.timeline.Timeline;
import io.xenondb.storagenode.timeline.TimelineMetadata;

/** Neon's TimelineInfo of a timeline, as the management API shows it. */
final class TimelineInfos {
    private TimelineInfos() {}

    static TimelineInfo of(TenantManager manager, Tenant tenant, Timeline timeline) {
        TimelineMetadata md = timeline.metadata();
        Lsn last = timeline.lastRecordLsn();
        Image newest = tenant.imageOf(timeline, last).orElse(null);
        String receiver = manager.receiver(timeline)
                .map(r ->
                        r.currentNode().map(n -> "streaming from WAL node " + n).orElse("waiting for WAL"))
                .orElse(md.readOnly() ? "read only" : "not ingesting");
        Lsn minReadable = Tenant.oldestBranchPoint(timeline);
        return new TimelineInfo(
                tenant.id().tenantId(),
                md.timelineId(),
                md.ancestorTimelineId(),
                md.ancestor().isPresent() ? md.ancestorLsn() : null,
                last,
                null,
                timeline.diskConsistentLsn(),
                timeline.remoteConsistentLsn(),
                timeline.remoteConsistentLsn(),
                md.initdbLsn(),
                md.gcCutoffLsn(),
                minReadable,
                newest == null ? 0 : newest.logicalSize(),
                newest != null && newest.lsn().equals(last),
                timeline.walPhysicalSize(),
                md.pgVersion(),
                timeline.state().name(),
                receiver,
                last,
                false,
                md.readOnly());
    }
}
