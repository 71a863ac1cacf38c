/** The broker's Micrometer metrics, under Neon's {@code storage_broker_*} names. */
package io.xenondb.broker.metrics;
