/**
 * Storage broker (Neon's storage_broker): gRPC pub/sub of WAL-node timeline state.
 *
 * <p>Not built yet: see the open issues. DESIGN.md describes what lands here.
 */
package io.xenondb.broker;
