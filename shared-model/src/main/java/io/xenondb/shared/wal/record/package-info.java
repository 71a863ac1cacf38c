/**
 * A decoded WAL record: header fields, resource manager and record type names as pg_walinspect prints them,
 * block references with full-page images, and main data.
 */
package io.xenondb.shared.wal.record;
