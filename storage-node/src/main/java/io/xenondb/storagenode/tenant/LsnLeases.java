package io.xenondb.storagenode.tenant;

import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The LSN leases of one tenant shard (Neon's {@code lease lsn}): per timeline, LSNs a reader (a static compute,
 * a replica) will still read at, each with an expiry. GC must keep whatever reading at an unexpired lease needs.
 * Held in memory only, as in Neon: after a restart, readers renew their leases.
 */
public final class LsnLeases {
    private final Map<TimelineId, TreeMap<Lsn, Instant>> leases = new HashMap<>();

    /** Takes or renews a lease of {@code lsn} until {@code expires}; a later expiry already held is kept. */
    public synchronized Instant lease(TimelineId timeline, Lsn lsn, Instant expires) {
        return leases.computeIfAbsent(timeline, t -> new TreeMap<>())
                .merge(lsn, expires, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The lowest LSN of {@code timeline} with a lease unexpired at {@code now}; expired leases are dropped. */
    public synchronized Optional<Lsn> oldestActive(TimelineId timeline, Instant now) {
        TreeMap<Lsn, Instant> held = leases.get(timeline);
        if (held == null) {
            return Optional.empty();
        }
        held.values().removeIf(expires -> !expires.isAfter(now));
        if (held.isEmpty()) {
            leases.remove(timeline);
            return Optional.empty();
        }
        return Optional.of(held.firstKey());
    }

    /** The unexpired leases of {@code timeline}: LSN to expiry. */
    public synchronized Map<Lsn, Instant> active(TimelineId timeline, Instant now) {
        oldestActive(timeline, now);
        return Map.copyOf(leases.getOrDefault(timeline, new TreeMap<>()));
    }

    /** Forgets the leases of a deleted timeline. */
    public synchronized void forget(TimelineId timeline) {
        leases.remove(timeline);
    }
}
