/**
 * Storage broker (Neon's storage_broker): the Spring application that serves {@code storage_broker.BrokerService},
 * WAL nodes' timeline state fanned out to every interested subscriber, plus {@code /metrics} and health over HTTP.
 */
package io.xenondb.broker;
