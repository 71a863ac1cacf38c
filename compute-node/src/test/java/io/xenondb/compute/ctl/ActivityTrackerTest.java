package io.xenondb.compute.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("compute-ctl")
class ActivityTrackerTest {
    /** A clock the test moves by hand. */
    private static final class FakeClock extends Clock {
        private Instant now = Instant.parse("2026-11-05T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final ActivityTracker tracker = new ActivityTracker(clock, Optional.of(Duration.ofSeconds(3)));

    @Test
    void beforeTheStartNothingIsActiveAndNothingSuspends() {
        clock.advance(Duration.ofHours(1));

        assertThat(tracker.lastActive()).isEmpty();
        assertThat(tracker.shouldSuspend()).isFalse();
    }

    @Test
    void theStartCountsAsActivityAndIdlenessSuspendsAtTheTimeout() {
        tracker.started();
        Instant start = clock.instant();
        tracker.observe(0);
        clock.advance(Duration.ofMillis(2999));
        tracker.observe(0);

        assertThat(tracker.lastActive()).contains(start);
        assertThat(tracker.shouldSuspend()).isFalse();

        clock.advance(Duration.ofMillis(1));
        assertThat(tracker.shouldSuspend()).isTrue();
    }

    @Test
    void anOpenConnectionKeepsItUpAndMovesLastActive() {
        tracker.started();
        for (int second = 0; second < 10; second++) {
            clock.advance(Duration.ofSeconds(1));
            tracker.observe(1);
            assertThat(tracker.shouldSuspend()).isFalse();
        }
        assertThat(tracker.lastActive()).contains(clock.instant());

        clock.advance(Duration.ofSeconds(2));
        tracker.observe(0);
        assertThat(tracker.shouldSuspend()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tracker.shouldSuspend()).isTrue();
    }

    @Test
    void withoutATimeoutItNeverSuspends() {
        ActivityTracker never = new ActivityTracker(clock, Optional.empty());
        never.started();
        clock.advance(Duration.ofDays(30));

        assertThat(never.shouldSuspend()).isFalse();
        assertThat(never.lastActive()).isPresent();
    }
}
