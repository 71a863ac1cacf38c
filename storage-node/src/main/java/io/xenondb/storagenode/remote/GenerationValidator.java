package io.xenondb.storagenode.remote;

import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;

/**
 * Answers whether a tenant shard's generation is still the current one (Neon's {@code /upcall/v1/validate} to
 * the storage controller). Deletions run only after a yes: a storage node whose attachment was superseded must
 * not delete what the newer attachment may still read. May block; may throw {@code UNAVAILABLE}.
 */
@FunctionalInterface
public interface GenerationValidator {
    boolean isCurrent(TenantShardId tenantShard, Generation generation);
}
