/** Starting a compute: a base backup from the storage node, stock PostgreSQL on it, and the WAL proposer. */
package io.xenondb.compute.start;
