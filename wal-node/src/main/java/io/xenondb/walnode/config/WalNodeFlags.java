package io.xenondb.walnode.config;

import io.xenondb.shared.cli.CommandLineFlags;
import io.xenondb.shared.cli.Flag;
import java.util.List;

/** The WAL node's command line: Neon's safekeeper flags that Xenon supports, with gRPC in place of libpq. */
public final class WalNodeFlags {
    public static final CommandLineFlags FLAGS = new CommandLineFlags(
            "wal-node",
            List.of(
                    Flag.value(
                            "id",
                            "n",
                            null,
                            "This WAL node's id; may be left out once the data directory has recorded it"),
                    Flag.value(
                                    "datadir",
                                    "path",
                                    WalNodeProperties.DEFAULT_DATADIR,
                                    "Data directory: <datadir>/<tenant_id>/<timeline_id>/ per timeline")
                            .withShortName('D'),
                    Flag.value(
                                    "listen-grpc",
                                    "host:port",
                                    WalNodeProperties.DEFAULT_LISTEN_GRPC,
                                    "Address to serve the WAL service (gRPC xenon.wal.WalService) on")
                            .withShortName('l'),
                    Flag.value(
                            "listen-http",
                            "host:port",
                            WalNodeProperties.DEFAULT_LISTEN_HTTP,
                            "Address to serve the HTTP API, /metrics and /health on"),
                    Flag.value(
                            "advertise-grpc",
                            "host:port",
                            null,
                            "gRPC address published to the broker [default: the listen-grpc address]"),
                    Flag.value(
                            "broker-endpoint",
                            "http://host:port",
                            WalNodeProperties.DEFAULT_BROKER_ENDPOINT,
                            "Storage broker to publish timeline state to"),
                    Flag.value(
                            "broker-keepalive-interval",
                            "duration",
                            WalNodeProperties.DEFAULT_BROKER_KEEPALIVE_INTERVAL,
                            "HTTP/2 keepalive ping interval of the broker connection"),
                    Flag.toggle(
                            "disable-periodic-broker-push",
                            "Do not publish timeline state to the broker every second (tests)"),
                    Flag.value("availability-zone", "name", null, "Availability zone, published to the broker"),
                    Flag.value(
                            "control-file-save-interval",
                            "duration",
                            WalNodeProperties.DEFAULT_CONTROL_FILE_SAVE_INTERVAL,
                            "How often advanced commit/truncate LSNs are checkpointed to the control file")));

    private WalNodeFlags() {}
}
