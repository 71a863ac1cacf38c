/** The storage node's upcalls to the storage controller: re-attach at start, validate before remote deletions. */
package io.xenondb.storagenode.upcall;
