package io.xenondb.storagenode.remote;

import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import java.util.Objects;

/**
 * What a remote key of Neon's layout names: its kind, tenant shard, timeline (null for tenant-level objects),
 * name without the generation suffix and the generation that wrote it.
 */
public record RemoteName(
        Kind kind, TenantShardId tenantShard, TimelineId timeline, String name, Generation generation) {
    public enum Kind {
        /** {@code index_part.json-<gen>} of a timeline. */
        INDEX_PART,
        /** An immutable file of a timeline (a layer, an image, WAL). */
        TIMELINE_FILE,
        /** {@code tenant-manifest-<gen>.json} of a tenant shard. */
        TENANT_MANIFEST
    }

    public RemoteName {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenantShard, "tenantShard");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generation, "generation");
        if ((timeline == null) != (kind == Kind.TENANT_MANIFEST)) {
            throw new IllegalArgumentException("timeline: " + timeline + " (expected: null only for " + kind + ")");
        }
    }

    /** The key this name is read from; {@link RemotePaths#parse} is its inverse. */
    public RemoteKey key() {
        return switch (kind) {
            case INDEX_PART -> RemotePaths.indexKey(tenantShard, timeline, generation);
            case TIMELINE_FILE -> RemotePaths.objectKey(tenantShard, timeline, name, generation);
            case TENANT_MANIFEST -> RemotePaths.tenantManifestKey(tenantShard, generation);
        };
    }

    @Override
    public String toString() {
        return key().value();
    }
}
