/**
 * PostgreSQL 17 write-ahead log: segment file names and the typed error every WAL decoding failure raises.
 * The decoder itself lives in {@code decode}, the record model in {@code record}, file reading in {@code read}
 * and typed views of structural records in {@code view}.
 */
package io.xenondb.shared.wal;
