package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Failures per key over a sliding minute, on a clock the test moves. */
class FailureLimiterTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-03-10T02:00:00Z"), ZoneOffset.UTC);
    private final FailureLimiter limiter = new FailureLimiter(clock, 10, Duration.ofMinutes(1), 100);

    @Test
    void theEleventhAttemptAfterTenFailuresIsRefusedUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.begin("10.0.0.1")).isInstanceOf(FailureLimiter.Attempt.class);
            clock.advance(Duration.ofSeconds(5));
        }
        // The first failure was 50 s ago.
        assertThat(limiter.begin("10.0.0.1")).isEqualTo(new FailureLimiter.Refusal(10, true, false));
        assertThat(limiter.begin("10.0.0.1")).isEqualTo(new FailureLimiter.Refusal(10, false, false));
        assertThat(limiter.begin("10.0.0.2")).isInstanceOf(FailureLimiter.Attempt.class);

        clock.advance(Duration.ofSeconds(9));
        assertThat(limiter.begin("10.0.0.1")).isEqualTo(new FailureLimiter.Refusal(1, false, false));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.begin("10.0.0.1")).isInstanceOf(FailureLimiter.Attempt.class);
        // That one failed too: ten in the window again, and the next refusal is worth a log line again.
        assertThat(limiter.begin("10.0.0.1")).isEqualTo(new FailureLimiter.Refusal(5, true, false));
    }

    @Test
    void successesAreNotCounted() {
        for (int i = 0; i < 100; i++) {
            ((FailureLimiter.Attempt) limiter.begin("10.0.0.1")).succeeded();
        }
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.begin("10.0.0.1")).isInstanceOf(FailureLimiter.Attempt.class);
        }
        assertThat(limiter.begin("10.0.0.1")).isInstanceOf(FailureLimiter.Refusal.class);
    }

    @Test
    void attemptsStillUnderWayCountSoParallelGuessesCannotSlipPast() {
        FailureLimiter.Attempt first = (FailureLimiter.Attempt) limiter.begin("10.0.0.1");
        for (int i = 0; i < 9; i++) {
            limiter.begin("10.0.0.1");
        }
        assertThat(limiter.begin("10.0.0.1")).isInstanceOf(FailureLimiter.Refusal.class);

        first.succeeded();
        assertThat(limiter.begin("10.0.0.1")).isInstanceOf(FailureLimiter.Attempt.class);
    }

    @Test
    void whenTooManyKeysAreCountedANewKeyWaitsUntilTheyAgeOut() {
        FailureLimiter small = new FailureLimiter(clock, 10, Duration.ofMinutes(1), 2);
        small.begin("10.0.0.1");
        small.begin("10.0.0.2");

        assertThat(small.begin("10.0.0.3")).isEqualTo(new FailureLimiter.Refusal(60, true, true));
        assertThat(small.begin("10.0.0.4")).isEqualTo(new FailureLimiter.Refusal(60, false, true));
        assertThat(small.begin("10.0.0.1")).isInstanceOf(FailureLimiter.Attempt.class);

        clock.advance(Duration.ofMinutes(1));
        assertThat(small.begin("10.0.0.3")).isInstanceOf(FailureLimiter.Attempt.class);
    }
}
