package io.xenondb.shared.client.storagenode;

/** Neon's {@code LocationConfigMode}: how a storage node holds a tenant shard. */
public enum LocationConfigMode {
    /** The only attachment: ingests, serves, uploads, deletes. */
    AttachedSingle,
    /** Another attachment may exist (during a migration): no deletions in object storage. */
    AttachedMulti,
    /** Superseded by a newer attachment: serves reads, avoids writes to object storage. */
    AttachedStale,
    /** A warm standby copy: does not serve. */
    Secondary,
    /** Not here: local state is dropped. */
    Detached;

    public boolean isAttached() {
        return this == AttachedSingle || this == AttachedMulti || this == AttachedStale;
    }

    /** Whether this attachment may delete objects in object storage. */
    public boolean mayDeleteRemote() {
        return this == AttachedSingle;
    }
}
