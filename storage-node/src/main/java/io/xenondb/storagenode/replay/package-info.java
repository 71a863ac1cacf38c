/**
 * The replay worker: a private stock PostgreSQL standby that replays a timeline's WAL onto an image (or an initdb
 * output) up to a target LSN and is backed up there, making the next image.
 */
package io.xenondb.storagenode.replay;
