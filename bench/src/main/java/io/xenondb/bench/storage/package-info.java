/** The storage node benchmark: branches, compute starts, WAL ingest and GetPage against vanilla PostgreSQL. */
package io.xenondb.bench.storage;
