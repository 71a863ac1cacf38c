/**
 * Compute node (Neon's compute_ctl): runs one stock PostgreSQL 17 and its WAL proposer.
 *
 * <p>Not built yet: see the open issues. DESIGN.md describes what lands here.
 */
package io.xenondb.compute;
