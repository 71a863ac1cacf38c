package io.xenondb.controller.store;

import org.springframework.data.r2dbc.repository.Query;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code tenant_shards} table. */
public interface TenantShardRepository extends ReactiveCrudRepository<TenantShardRow, String> {
    Flux<TenantShardRow> findByTenantIdOrderByShardNumberAsc(String tenantId);

    Mono<Long> countByGenerationNodeId(Long nodeId);

    /**
     * Issues the next generation of a shard to {@code nodeId} in one statement, so two concurrent attaches never
     * get the same one; empty if the shard is gone.
     */
    @Query("UPDATE tenant_shards SET generation = generation + 1, generation_node_id = :nodeId"
            + " WHERE tenant_shard_id = :tenantShardId RETURNING generation")
    Mono<Long> incrementGeneration(String tenantShardId, long nodeId);

    /**
     * Issues the next generation of every shard whose generation belongs to {@code nodeId} (the re-attach upcall of
     * a restarted node), in one statement; answers the updated rows.
     */
    @Query("UPDATE tenant_shards SET generation = generation + 1" + " WHERE generation_node_id = :nodeId RETURNING *")
    Flux<TenantShardRow> incrementGenerationsOf(long nodeId);

    /**
     * Prepares an explicit attach (controller {@code PUT location_config}): the generation becomes at least
     * {@code floor} (the next attach then issues one above it), the settings and placement are replaced.
     */
    @Query("UPDATE tenant_shards SET generation = GREATEST(generation, :floor), config = :config,"
            + " placement_policy = :placementPolicy WHERE tenant_shard_id = :tenantShardId RETURNING *")
    Mono<TenantShardRow> prepareAttach(String tenantShardId, long floor, String config, String placementPolicy);

    /** Marks a shard Detached: no node holds its generation any more, so no re-attach brings it back. */
    @Query("UPDATE tenant_shards SET placement_policy = '\"Detached\"', generation_node_id = NULL"
            + " WHERE tenant_shard_id = :tenantShardId RETURNING *")
    Mono<TenantShardRow> detach(String tenantShardId);
}
