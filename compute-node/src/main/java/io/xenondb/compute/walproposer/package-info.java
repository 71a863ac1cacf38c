/**
 * The WAL proposer of a compute (Neon's walproposer): streams its PostgreSQL's WAL to the timeline's WAL nodes
 * under the consensus of {@code io.xenondb.walnode.consensus}, reports only quorum-durable WAL to PostgreSQL as
 * flushed, and syncs the WAL nodes for a new compute (Neon's sync-safekeepers).
 */
package io.xenondb.compute.walproposer;
