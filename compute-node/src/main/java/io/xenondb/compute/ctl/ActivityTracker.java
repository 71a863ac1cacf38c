package io.xenondb.compute.ctl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The suspend decision: remembers when a client last was connected ({@code last_active}; the start counts as
 * activity) and says when the compute has been idle for its suspend timeout. Time comes from the injected clock
 * only, so the decision is tested with a fake one.
 */
public final class ActivityTracker {
    private final Clock clock;
    private final Optional<Duration> suspendTimeout;
    private Instant lastActive;

    /** @param suspendTimeout idle time after which to suspend; empty: never */
    public ActivityTracker(Clock clock, Optional<Duration> suspendTimeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.suspendTimeout = Objects.requireNonNull(suspendTimeout, "suspendTimeout");
    }

    /** The compute is up: idle time counts from now. */
    public synchronized void started() {
        lastActive = clock.instant();
    }

    /** One look at the compute: {@code clientConnections} client backends other than the monitor's own. */
    public synchronized void observe(int clientConnections) {
        if (clientConnections > 0) {
            lastActive = clock.instant();
        }
    }

    /** The last time a client was seen (or the start), empty before the start. */
    public synchronized Optional<Instant> lastActive() {
        return Optional.ofNullable(lastActive);
    }

    /** True once the compute has been started and idle for at least its suspend timeout. */
    public synchronized boolean shouldSuspend() {
        if (lastActive == null || suspendTimeout.isEmpty()) {
            return false;
        }
        Duration idle = Duration.between(lastActive, clock.instant());
        return idle.compareTo(suspendTimeout.get()) >= 0;
    }
}
