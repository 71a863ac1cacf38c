package io.xenondb.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("controller")
class TenantRateLimiterTest {
    private static final String A = "9ef87a5bf0d92544f6fafeeb3239695c";
    private static final String B = "1f359dd625e519a1a4e8d7509690f6fc";

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aBurstOverTheLimitIsRefusedWithRetryAfterAndOtherTenantsAreNot() {
        TestClock clock = new TestClock();
        TenantRateLimiter limiter = new TenantRateLimiter(5, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire(A).allowed()).as("request %d", i).isTrue();
        }
        TenantRateLimiter.Decision refused = limiter.acquire(A);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(limiter.acquire(B).allowed()).isTrue();

        // 200 ms later one request (5/s) is available again, and only one.
        clock.advance(Duration.ofMillis(200));
        assertThat(limiter.acquire(A).allowed()).isTrue();
        assertThat(limiter.acquire(A).allowed()).isFalse();

        // A quiet second refills the bucket to the limit, not beyond.
        clock.advance(Duration.ofSeconds(10));
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += limiter.acquire(A).allowed() ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
    }

    @Test
    void retryAfterRoundsUpTheWait() {
        TestClock clock = new TestClock();
        TenantRateLimiter limiter = new TenantRateLimiter(1, clock);
        assertThat(limiter.acquire(A).allowed()).isTrue();
        clock.advance(Duration.ofMillis(100));
        TenantRateLimiter.Decision refused = limiter.acquire(A);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1); // 0.9 s, rounded up
        clock.advance(Duration.ofMillis(900));
        assertThat(limiter.acquire(A).allowed()).isTrue();
    }

    @Test
    void zeroIsUnlimited() {
        TenantRateLimiter limiter = new TenantRateLimiter(0, new TestClock());
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire(A).allowed()).isTrue();
        }
        assertThat(limiter.buckets()).isZero();
    }

    @Test
    void idleBucketsAreDroppedWhenTheMapIsFull() {
        TestClock clock = new TestClock();
        TenantRateLimiter limiter = new TenantRateLimiter(2, clock);
        for (int i = 0; i < TenantRateLimiter.MAX_BUCKETS; i++) {
            limiter.acquire(String.format("%032x", i));
        }
        assertThat(limiter.buckets()).isEqualTo(TenantRateLimiter.MAX_BUCKETS);
        clock.advance(Duration.ofSeconds(1));
        limiter.acquire(A);
        assertThat(limiter.buckets()).isEqualTo(1);
    }

    @Test
    void tenantPathsAreRecognised() {
        assertThat(TenantRateLimitFilter.tenantOf("/v1/tenant/" + A)).isEqualTo(A);
        assertThat(TenantRateLimitFilter.tenantOf("/v1/tenant/" + A.toUpperCase() + "/timeline"))
                .isEqualTo(A);
        assertThat(TenantRateLimitFilter.tenantOf("/v1/tenant/" + A + "-0001/location_config"))
                .isEqualTo(A);
        assertThat(TenantRateLimitFilter.tenantOf("/control/v1/tenant/" + A)).isEqualTo(A);
        assertThat(TenantRateLimitFilter.tenantOf("/v1/location_config/" + A)).isEqualTo(A);
        assertThat(TenantRateLimitFilter.tenantOf("/v1/tenant")).isNull();
        assertThat(TenantRateLimitFilter.tenantOf("/v1/tenant/config")).isNull();
        assertThat(TenantRateLimitFilter.tenantOf("/control/v1/tenant")).isNull();
        assertThat(TenantRateLimitFilter.tenantOf("/control/v1/node/1")).isNull();
        assertThat(TenantRateLimitFilter.tenantOf("/metrics")).isNull();
        assertThat(TenantRateLimitFilter.tenantOf("/v1/tenant/" + A + "x")).isNull();
    }
}
