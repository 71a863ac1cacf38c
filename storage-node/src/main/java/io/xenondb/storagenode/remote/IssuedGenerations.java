package io.xenondb.storagenode.remote;

import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory generation issuer and validator, as the storage controller is one: {@link #attach} hands out the
 * next generation of a tenant shard, and only the newest one handed out is current. For tests and embedded
 * single-node setups.
 */
public final class IssuedGenerations implements GenerationValidator {
    private final ConcurrentHashMap<TenantShardId, Generation> latest = new ConcurrentHashMap<>();

    /** The next generation of {@code tenantShard} (1 first), which from now on is the only current one. */
    public Generation attach(TenantShardId tenantShard) {
        return latest.compute(tenantShard, (id, previous) -> previous == null ? Generation.of(1) : previous.next());
    }

    @Override
    public boolean isCurrent(TenantShardId tenantShard, Generation generation) {
        return generation.equals(latest.get(tenantShard));
    }
}
