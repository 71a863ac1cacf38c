package io.xenondb.broker.config;

import io.xenondb.shared.cli.CommandLineFlags;
import io.xenondb.shared.cli.Flag;
import java.util.List;

/** The broker's command line: Neon's storage_broker flags that Xenon supports, plus its HTTP address. */
public final class BrokerFlags {
    public static final CommandLineFlags FLAGS = new CommandLineFlags(
            "broker",
            List.of(
                    Flag.value(
                                    "listen-addr",
                                    "host:port",
                                    BrokerProperties.DEFAULT_LISTEN_ADDR,
                                    "Address to serve gRPC (storage_broker.BrokerService) on")
                            .withShortName('l'),
                    Flag.value(
                            "listen-http-addr",
                            "host:port",
                            BrokerProperties.DEFAULT_LISTEN_HTTP_ADDR,
                            "Address to serve HTTP /metrics, /status and /health/{liveness,readiness} on"),
                    Flag.value(
                            "timeline-chan-size",
                            "n",
                            BrokerProperties.DEFAULT_TIMELINE_CHAN_SIZE,
                            "Buffer of a subscriber to one timeline (distinct pending messages)"),
                    Flag.value(
                            "all-keys-chan-size",
                            "n",
                            BrokerProperties.DEFAULT_ALL_KEYS_CHAN_SIZE,
                            "Buffer of a subscriber to all timelines (distinct pending messages)"),
                    Flag.value(
                            "http2-keepalive-interval",
                            "duration",
                            BrokerProperties.DEFAULT_HTTP2_KEEPALIVE_INTERVAL,
                            "HTTP/2 keepalive ping interval (e.g. 5s, 500ms)"),
                    Flag.value(
                            "shutdown-grace",
                            "duration",
                            BrokerProperties.DEFAULT_SHUTDOWN_GRACE,
                            "Wait for open calls this long when stopping")));

    private BrokerFlags() {}
}
