/** The WAL service over gRPC (xenon.wal.WalService with Reactor stubs). */
package io.xenondb.walnode.grpc;
