/** Runs stock PostgreSQL 17 from Maven-provided binaries. */
package io.xenondb.pgruntime;
