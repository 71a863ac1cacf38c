package io.xenondb.compute.walproposer;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.time.Duration;
import java.util.Objects;

/**
 * Timings of a proposer's IO layer.
 *
 * @param rpcTimeout deadline of each Greet, Vote, Elect and recovery read
 * @param reconnectMin first wait before reconnecting to a WAL node that went away; doubles per failed attempt
 * @param reconnectMax longest wait between reconnection attempts
 * @param tickInterval how often failed WAL reads are retried
 * @param statusInterval how often the replication client reports its position to PostgreSQL when idle
 */
public record ProposerSettings(
        Duration rpcTimeout,
        Duration reconnectMin,
        Duration reconnectMax,
        Duration tickInterval,
        Duration statusInterval) {
    public ProposerSettings {
        positive("rpc timeout", rpcTimeout);
        positive("reconnect min", reconnectMin);
        positive("reconnect max", reconnectMax);
        positive("tick interval", tickInterval);
        positive("status interval", statusInterval);
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "reconnect max: " + reconnectMax + " (expected: at least reconnect min " + reconnectMin + ")");
        }
    }

    /** 5 s RPC deadline, reconnect after 100 ms doubling up to 2 s, tick every 100 ms, status every 1 s. */
    public static ProposerSettings defaults() {
        return new ProposerSettings(
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                Duration.ofMillis(100),
                Duration.ofSeconds(1));
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, name + ": " + value + " (expected: a positive duration)");
        }
    }
}
