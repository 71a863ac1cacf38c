/**
 * Images: whole PostgreSQL data directories at a record-boundary LSN, stored durably with relation pages
 * deduplicated by content, so that each image costs only the pages that changed since earlier ones.
 */
package io.xenondb.storagenode.image;
