/**
 * The messages of the WAL-service consensus (xenon.wal) as domain records, the term history, and their
 * protobuf mapping at the edge ({@link io.xenondb.walnode.consensus.message.WalProtos}).
 */
package io.xenondb.walnode.consensus.message;
