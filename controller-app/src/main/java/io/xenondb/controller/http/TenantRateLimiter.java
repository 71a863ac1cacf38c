package io.xenondb.controller.http;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant token buckets: each tenant may send {@code perSecond} requests in any second, in a burst or spread out;
 * a tenant's bucket refills continuously at that rate. Time comes from the injected clock. 0 is unlimited.
 */
public final class TenantRateLimiter {
    /** Buckets kept before idle (full) ones are dropped, so random ids cannot grow the map without bound. */
    static final int MAX_BUCKETS = 10_000;

    /** A request's fate: allowed, or refused with the whole seconds to wait before one would be allowed. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
        static final Decision ALLOW = new Decision(true, 0);
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long updatedNanos) {
            this.tokens = tokens;
            this.updatedNanos = updatedNanos;
        }
    }

    private final int perSecond;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TenantRateLimiter(int perSecond, Clock clock) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: 0 or more)");
        }
        this.perSecond = perSecond;
        this.clock = clock;
    }

    public int perSecond() {
        return perSecond;
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    /** Takes one request of {@code tenant} from its bucket, if there is one left. */
    public Decision acquire(String tenant) {
        if (!enabled()) {
            return Decision.ALLOW;
        }
        long now = nanos();
        if (buckets.size() >= MAX_BUCKETS && !buckets.containsKey(tenant)) {
            dropIdle(now);
        }
        Bucket bucket = buckets.computeIfAbsent(tenant, t -> new Bucket(perSecond, now));
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Decision.ALLOW;
            }
            double waitSeconds = (1 - bucket.tokens) / perSecond;
            return new Decision(false, Math.max(1, (long) Math.ceil(waitSeconds)));
        }
    }

    private void refill(Bucket bucket, long now) {
        long elapsed = Math.max(0, now - bucket.updatedNanos);
        bucket.tokens = Math.min(perSecond, bucket.tokens + elapsed * (double) perSecond / 1_000_000_000L);
        bucket.updatedNanos = now;
    }

    private void dropIdle(long now) {
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                refill(e.getValue(), now);
                return e.getValue().tokens >= perSecond;
            }
        });
    }

    private long nanos() {
        var instant = clock.instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    int buckets() {
        return buckets.size();
    }
}
