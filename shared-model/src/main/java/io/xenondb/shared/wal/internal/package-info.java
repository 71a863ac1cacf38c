/** Byte-level helpers and format constants shared by the WAL decoder's packages; not a public API. */
package io.xenondb.shared.wal.internal;
