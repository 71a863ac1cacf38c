/** WAL ingest: which WAL node to read a timeline's WAL from (the broker says), and the stream that feeds it in. */
package io.xenondb.storagenode.ingest;
