/** Reads WAL records from segment files or a pg_wal directory, on top of the stream decoder. */
package io.xenondb.shared.wal.read;
