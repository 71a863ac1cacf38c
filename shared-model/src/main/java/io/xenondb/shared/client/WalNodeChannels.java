package io.xenondb.shared.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.xenondb.shared.cli.ListenAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * gRPC channels to WAL nodes (and other Xenon gRPC services) with settings the servers accept: plaintext, a
 * keepalive ping every {@link #KEEPALIVE_TIME} even without open calls (a WAL node permits one every 5 s), so a
 * dead node or a silently dropped connection is noticed within seconds rather than at the OS's TCP timeout. A
 * gRPC transport (grpc-netty or grpc-netty-shaded) must be on the classpath.
 */
public final class WalNodeChannels {
    /** How often an idle connection is pinged. */
    public static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);

    /** How long a ping may go unanswered before the connection is considered dead. */
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);

    /** Largest message accepted: a WAL chunk is at most 128 KiB, status answers are small. */
    public static final int MAX_INBOUND_MESSAGE_BYTES = 4 * 1024 * 1024;

    private WalNodeChannels() {}

    /** A channel to {@code address}; close it with {@link #close}. */
    public static ManagedChannel open(ListenAddress address) {
        return ManagedChannelBuilder.forAddress(address.host(), address.port())
                .usePlaintext()
                .keepAliveTime(KEEPALIVE_TIME.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveWithoutCalls(true)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .build();
    }

    /** Shuts the channel down, cancelling calls still open after {@code grace}. */
    public static void close(ManagedChannel channel, Duration grace) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.shutdownNow().awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
