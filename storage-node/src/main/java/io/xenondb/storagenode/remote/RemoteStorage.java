package io.xenondb.storagenode.remote;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * An object store, small and blocking: callers run it off event loops (virtual threads or a bounded executor).
 * Objects are immutable blobs under a {@link RemoteKey}; an upload is all-or-nothing (a reader never sees a
 * partly written object under its key) and replaces an object with the same key.
 *
 * <p>Failures are {@code XenonException}s: {@code NOT_FOUND} for a missing object, {@code UNAVAILABLE} when the
 * store cannot be reached or answers with a transient error (retrying may help), {@code INVALID_ARGUMENT} for a
 * bad key, {@code INTERNAL} otherwise.
 */
public interface RemoteStorage extends AutoCloseable {
    /** Uploads the whole of {@code file} as the object {@code key}. */
    void upload(RemoteKey key, Path file);

    /** Uploads {@code bytes} as the object {@code key}. */
    void upload(RemoteKey key, byte[] bytes);

    /**
     * Downloads the object {@code key} into {@code target}: written to a temporary file beside it, synced, then
     * renamed over it, so {@code target} is either untouched or complete.
     */
    void download(RemoteKey key, Path target);

    /** The whole object {@code key}; for small objects such as index files. */
    byte[] download(RemoteKey key);

    /** Every object whose key starts with {@code prefix} ({@code ""} for all), ordered by key. */
    List<RemoteObject> list(String prefix);

    /** Deletes the objects; keys that do not exist are no error (as in S3). */
    void delete(Collection<RemoteKey> keys);

    boolean exists(RemoteKey key);

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {}
}
