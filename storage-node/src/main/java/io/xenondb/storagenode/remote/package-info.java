/**
 * Remote (object) storage of the storage node: the blocking object-store abstraction with its local-directory
 * and S3 implementations, Neon's remote layout and index_part, and generation-gated timeline uploads.
 */
package io.xenondb.storagenode.remote;
