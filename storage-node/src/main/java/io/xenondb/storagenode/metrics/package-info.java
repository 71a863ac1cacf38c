/** The storage node's metrics, with Neon's pageserver names where Neon has them. */
package io.xenondb.storagenode.metrics;
