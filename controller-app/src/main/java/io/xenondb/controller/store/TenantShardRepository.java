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
}
