package io.xenondb.storagenode.remote;

import java.util.Objects;

/** One object found by a listing: its key and size in bytes. */
public record RemoteObject(RemoteKey key, long size) implements Comparable<RemoteObject> {
    public RemoteObject {
        Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
        }
    }

    @Override
    public int compareTo(RemoteObject other) {
        return key.compareTo(other.key);
    }
}
