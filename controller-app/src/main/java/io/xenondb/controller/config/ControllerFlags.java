package io.xenondb.controller.config;

import io.xenondb.shared.cli.CommandLineFlags;
import io.xenondb.shared.cli.Flag;
import java.util.List;

/** The controller's command line: the flags of Neon's {@code storage_controller} that Xenon supports. */
public final class ControllerFlags {
    public static final CommandLineFlags FLAGS = new CommandLineFlags(
            "storage-controller",
            List.of(
                    Flag.value(
                            "listen",
                            "host:port",
                            ControllerProperties.DEFAULT_LISTEN,
                            "Address to serve the admin API, /metrics and health on"),
                    Flag.value(
                            "database-url",
                            "postgresql://user@host:port/db",
                            null,
                            "The controller's PostgreSQL (env DATABASE_URL) [default in --dev: an embedded one]"),
                    Flag.toggle(
                            "dev",
                            "Development mode: auth only with --public-key; an embedded PostgreSQL when no database URL is given"),
                    Flag.value(
                            "dev-data-dir",
                            "path",
                            ControllerProperties.DEFAULT_DEV_DATA_DIR,
                            "Data directory of the embedded PostgreSQL of --dev (kept across restarts)"),
                    Flag.value(
                            "public-key",
                            "path",
                            null,
                            "Ed25519 public key (PEM) that verifies tokens (env PUBLIC_KEY: the PEM itself)"),
                    Flag.value(
                            "jwt-token", "token", null, "Token for calls to storage nodes (env PAGESERVER_JWT_TOKEN)"),
                    Flag.value(
                            "safekeeper-jwt-token",
                            "token",
                            null,
                            "Token for calls to WAL nodes (env SAFEKEEPER_JWT_TOKEN)"),
                    Flag.value("control-plane-jwt-token", "token", null, "Token for calls to the control plane"),
                    Flag.value(
                            "control-plane-url",
                            "http://host:port",
                            null,
                            "Control plane notified when a tenant shard moves [default: none]"),
                    Flag.value(
                            "reconciler-concurrency",
                            "n",
                            ControllerProperties.DEFAULT_RECONCILER_CONCURRENCY,
                            "Reconciles running at once"),
                    Flag.value(
                            "tenant-rate-limit",
                            "n",
                            ControllerProperties.DEFAULT_TENANT_RATE_LIMIT,
                            "Requests per second per tenant (0: unlimited)"),
                    Flag.value(
                            "max-offline-interval",
                            "duration",
                            ControllerProperties.DEFAULT_MAX_OFFLINE_INTERVAL,
                            "A node silent this long is Offline"),
                    Flag.value(
                            "heartbeat-interval",
                            "duration",
                            ControllerProperties.DEFAULT_HEARTBEAT_INTERVAL,
                            "How often each storage node is asked GET /v1/utilization"),
                    Flag.value(
                            "split-threshold",
                            "bytes",
                            null,
                            "Split a shard whose logical size passes this [default: never]")));

    private ControllerFlags() {}
}
