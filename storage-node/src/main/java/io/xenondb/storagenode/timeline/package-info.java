/** Timelines on the storage node: their metadata, WAL, records index and the branch tree they form. */
package io.xenondb.storagenode.timeline;
