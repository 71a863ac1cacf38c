/**
 * Storage node (Neon's pageserver): WAL ingest, versioned pages, basebackup, page service.
 *
 * <p>Not built yet: see the open issues. DESIGN.md describes what lands here.
 */
package io.xenondb.storagenode;
