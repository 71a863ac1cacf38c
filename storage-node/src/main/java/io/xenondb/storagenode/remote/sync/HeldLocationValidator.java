package io.xenondb.storagenode.remote.sync;

import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.storagenode.remote.GenerationValidator;
import io.xenondb.storagenode.tenant.TenantManager;

/**
 * Trusts the location config this node holds: a generation is current when the shard is attached here in
 * {@code AttachedSingle} with exactly that generation. Until the storage controller's
 * {@code /upcall/v1/validate} is asked (issue 5), a node that was never told about a newer attachment believes
 * it is current; the controller tells an old node {@code AttachedStale} during migrations, which stops deletions.
 */
public final class HeldLocationValidator implements GenerationValidator {
    private final TenantManager tenants;

    public HeldLocationValidator(TenantManager tenants) {
        this.tenants = tenants;
    }

    @Override
    public boolean isCurrent(TenantShardId tenantShard, Generation generation) {
        LocationConfig location;
        try {
            location = tenants.tenant(tenantShard).location();
        } catch (XenonException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
        return location.mode() == LocationConfigMode.AttachedSingle
                && location.generation() != null
                && Generation.of(location.generation()).equals(generation);
    }
}
