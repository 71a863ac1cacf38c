/**
 * Storage node (Neon's pageserver): WAL ingest, images, base backups at any LSN, branches, the management API and
 * the page service. {@link io.xenondb.storagenode.StorageNodeApplication} is the process.
 */
package io.xenondb.storagenode;
