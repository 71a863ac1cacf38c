/**
 * WAL node (Neon's safekeeper): quorum WAL acceptor, WAL store and WAL streaming.
 *
 * <p>Not built yet: see the open issues. DESIGN.md describes what lands here.
 */
package io.xenondb.walnode;
