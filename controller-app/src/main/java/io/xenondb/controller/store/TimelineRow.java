package io.xenondb.controller.store;

import java.util.List;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A timeline the controller created: its ancestry, start LSN (text X/X), and the WAL nodes holding it with the
 * generation of that set (empty and 0 when it was created without WAL nodes). Keyed by tenant and timeline.
 */
@Table("timelines")
public record TimelineRow(
        String tenantId,
        String timelineId,
        String ancestorTimelineId,
        String startLsn,
        List<Long> walNodeIds,
        int walNodeGeneration) {
    public TimelineRow {
        walNodeIds = walNodeIds == null ? List.of() : List.copyOf(walNodeIds);
    }
}
