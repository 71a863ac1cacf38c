/** Benchmark programs that measure Xenon against vanilla PostgreSQL 17 in the same run and print ratios. */
package io.xenondb.bench;
