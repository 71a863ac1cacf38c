/** Base backups: an image's files plus the WAL from its redo point to the wanted LSN, as one tar stream. */
package io.xenondb.storagenode.basebackup;
