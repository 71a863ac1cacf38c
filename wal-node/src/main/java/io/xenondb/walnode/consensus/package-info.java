/**
 * The WAL-service consensus as sans-IO state machines: the {@link io.xenondb.walnode.consensus.Acceptor} of a
 * WAL node and the {@link io.xenondb.walnode.consensus.Proposer} of a compute (docs/wal-consensus.md).
 */
package io.xenondb.walnode.consensus;
