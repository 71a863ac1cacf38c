/** Typed clients of Xenon services: the WAL node's HTTP API and gRPC channels with compatible settings. */
package io.xenondb.shared.client;
