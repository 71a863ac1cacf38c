package io.xenondb.controller.store;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A tenant shard's intent: its generation and the node that generation was issued to, its placement and
 * scheduling policies, its settings (JSON text) and stripe size.
 */
@Table("tenant_shards")
public record TenantShardRow(
        @Id String tenantShardId,
        String tenantId,
        int shardNumber,
        int shardCount,
        long stripeSize,
        long generation,
        Long generationNodeId,
        String placementPolicy,
        String config,
        String schedulingPolicy,
        String preferredAzId) {}
