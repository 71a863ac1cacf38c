/** A timeline's WAL on the storage node: what is held, by LSN, and how it is handed to PostgreSQL. */
package io.xenondb.storagenode.wal;
