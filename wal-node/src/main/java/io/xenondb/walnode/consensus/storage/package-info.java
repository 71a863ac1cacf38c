/** Storage behind the acceptor: the WAL bytes and the control state, with in-memory crash-modelling versions. */
package io.xenondb.walnode.consensus.storage;
