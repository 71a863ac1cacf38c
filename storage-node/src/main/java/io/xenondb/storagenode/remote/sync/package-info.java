/** Keeps tenant shards in object storage: uploads images, WAL layers and indexes, and attaches from them. */
package io.xenondb.storagenode.remote.sync;
