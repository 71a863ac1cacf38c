/** The broker's small HTTP endpoint: Prometheus {@code /metrics} and health. */
package io.xenondb.broker.http;
