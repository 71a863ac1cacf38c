package io.xenondb.storagenode.config;

import io.xenondb.shared.cli.CommandLineFlags;
import io.xenondb.shared.cli.Flag;
import java.util.List;

/** The storage node's command line: the settings of Neon's pageserver.toml that Xenon supports, as flags. */
public final class StorageNodeFlags {
    public static final CommandLineFlags FLAGS = new CommandLineFlags(
            "storage-node",
            List.of(
                    Flag.value("id", "n", null, "This storage node's id (Neon's pageserver id)"),
                    Flag.value(
                                    "workdir",
                                    "path",
                                    StorageNodeProperties.DEFAULT_WORKDIR,
                                    "Working directory: <workdir>/tenants/<tenant_shard_id>/ per tenant shard")
                            .withShortName('D'),
                    Flag.value(
                            "listen-http",
                            "host:port",
                            StorageNodeProperties.DEFAULT_LISTEN_HTTP,
                            "Address to serve the management API, /metrics and /health on"),
                    Flag.value(
                            "listen-grpc",
                            "host:port",
                            StorageNodeProperties.DEFAULT_LISTEN_GRPC,
                            "Address to serve the page service (gRPC page_api.PageService) on"),
                    Flag.value(
                            "broker-endpoint",
                            "http://host:port",
                            StorageNodeProperties.DEFAULT_BROKER_ENDPOINT,
                            "Storage broker to learn the WAL nodes of each timeline from"),
                    Flag.value(
                            "pg-distrib-dir",
                            "path",
                            null,
                            "PostgreSQL 17 bin directory for initdb and replay workers [default: the bundled one]"),
                    Flag.value(
                            "wait-lsn-timeout",
                            "duration",
                            StorageNodeProperties.DEFAULT_WAIT_LSN_TIMEOUT,
                            "How long a request for an LSN beyond the tip waits for the WAL"),
                    Flag.value(
                            "remote-storage",
                            "{local_path='dir'}|{bucket_name=...}",
                            null,
                            "Object storage for uploads and attach (Neon's remote_storage inline table) [default:"
                                    + " none, nothing uploaded]"),
                    Flag.value(
                            "auth-public-key",
                            "path",
                            null,
                            "Ed25519 public key (PEM) that JWTs must verify with on the API and the page service"
                                    + " (Neon's auth_validation_public_key_path) [default: none, no auth]"),
                    Flag.value(
                            "control-plane-api",
                            "http://host:port[/upcall/v1/]",
                            null,
                            "Storage controller upcalls (Neon's control_plane_api): re-attach at start, validate"
                                    + " before remote deletions [default: none, tenants load from local disk]"),
                    Flag.value(
                            "control-plane-api-token",
                            "jwt",
                            null,
                            "Bearer token for the upcalls (scope generations_api) [default: none]"),
                    Flag.value(
                            "availability-zone",
                            "id",
                            null,
                            "This node's availability zone; with --control-plane-api the node registers itself"
                                    + " through re-attach [default: none, it must be registered already]")));

    private StorageNodeFlags() {}
}
