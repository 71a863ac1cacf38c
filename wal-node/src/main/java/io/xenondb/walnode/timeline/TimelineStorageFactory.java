package io.xenondb.walnode.timeline;

import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.List;

/**
 * Where timelines' stores come from: the ONE place that decides between durable files and memory. Called only
 * under the {@link TimelineRegistry}'s lock, never concurrently for one timeline.
 */
public interface TimelineStorageFactory {
    /** The timelines present at start, to be opened. */
    List<TenantTimelineId> discover();

    /** Empty stores for a new timeline whose WAL starts at {@code startLsn}. */
    TimelineStorage create(TenantTimelineId timeline, Lsn startLsn);

    /** The stores of an existing timeline, recovered as a restart finds them. */
    TimelineStorage open(TenantTimelineId timeline);

    /** Removes everything stored for the timeline (its stores are closed); true if anything existed. */
    boolean delete(TenantTimelineId timeline);

    /** A short description for the startup log, e.g. "files under /data". */
    String describe();
}
