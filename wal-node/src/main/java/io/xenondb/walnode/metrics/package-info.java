/** The WAL node's metrics, with Neon's safekeeper names. */
package io.xenondb.walnode.metrics;
