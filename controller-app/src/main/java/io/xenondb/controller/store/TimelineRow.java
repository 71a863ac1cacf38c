package io.xenondb.controller.store;

import org.springframework.data.relational.core.mapping.Table;

/** A timeline the controller created: its ancestry and start LSN (text X/X). Keyed by tenant and timeline. */
@Table("timelines")
public record TimelineRow(String tenantId, String timelineId, String ancestorTimelineId, String startLsn) {}
