package io.xenondb.broker.config;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The broker's settings, bound from its command-line flags ({@code --listen-addr=...}; see {@link BrokerFlags}).
 *
 * @param listenAddr where gRPC ({@code storage_broker.BrokerService}) is served
 * @param listenHttpAddr where HTTP ({@code /metrics}, {@code /status}, {@code /health/*}) is served
 * @param timelineChanSize buffer of a subscriber to one timeline: distinct pending messages before the oldest is
 *     dropped (Neon's name; Neon's default)
 * @param allKeysChanSize the same for a subscriber to all timelines
 * @param http2KeepaliveInterval how often idle connections are pinged; dead peers are cut 20 s after a ping
 * @param shutdownGrace how long a stopping broker waits for open calls before cancelling them
 */
@ConfigurationProperties
public record BrokerProperties(
        @DefaultValue(DEFAULT_LISTEN_ADDR) ListenAddress listenAddr,
        @DefaultValue(DEFAULT_LISTEN_HTTP_ADDR) ListenAddress listenHttpAddr,
        @DefaultValue(DEFAULT_TIMELINE_CHAN_SIZE) int timelineChanSize,
        @DefaultValue(DEFAULT_ALL_KEYS_CHAN_SIZE) int allKeysChanSize,
        @DefaultValue(DEFAULT_HTTP2_KEEPALIVE_INTERVAL) Duration http2KeepaliveInterval,
        @DefaultValue(DEFAULT_SHUTDOWN_GRACE) Duration shutdownGrace) {
    static final String DEFAULT_LISTEN_ADDR = "127.0.0.1:50051";
    static final String DEFAULT_LISTEN_HTTP_ADDR = "127.0.0.1:50052";
    static final String DEFAULT_TIMELINE_CHAN_SIZE = "32";
    static final String DEFAULT_ALL_KEYS_CHAN_SIZE = "16384";
    static final String DEFAULT_HTTP2_KEEPALIVE_INTERVAL = "5s";
    static final String DEFAULT_SHUTDOWN_GRACE = "5s";

    private static final int MAX_CHAN_SIZE = 1 << 24;

    public BrokerProperties {
        requireSize("timeline-chan-size", timelineChanSize);
        requireSize("all-keys-chan-size", allKeysChanSize);
        requirePositive("http2-keepalive-interval", http2KeepaliveInterval);
        requirePositive("shutdown-grace", shutdownGrace);
        if (listenAddr.port() != 0 && listenAddr.equals(listenHttpAddr)) {
            throw invalid("listen-http-addr: " + listenHttpAddr + " (expected: an address other than listen-addr)");
        }
    }

    private static void requireSize(String name, int value) {
        if (value < 1 || value > MAX_CHAN_SIZE) {
            throw invalid(name + ": " + value + " (expected: 1.." + MAX_CHAN_SIZE + ")");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw invalid(name + ": " + value + " (expected: a positive duration such as 5s or 500ms)");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
