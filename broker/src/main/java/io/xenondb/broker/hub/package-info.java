/** The broker's in-memory pub/sub core, independent of gRPC: subscriptions, bounded conflating buffers, routing. */
package io.xenondb.broker.hub;
