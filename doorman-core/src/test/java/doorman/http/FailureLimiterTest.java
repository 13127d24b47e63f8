package doorman.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class FailureLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final FailureLimiter limiter = new FailureLimiter(5, Duration.ofSeconds(60), now::get);

    private void advanceSeconds(long s) {
        now.addAndGet(s * 1_000_000_000L);
    }

    @Test
    void locksOutAfterTheFifthFailureWithinTheWindow() {
        for (int i = 0; i < 4; i++) {
            limiter.recordFailure("10.0.0.1");
            advanceSeconds(1);
        }
        assertEquals(0, limiter.retryAfterSeconds("10.0.0.1"));
        limiter.recordFailure("10.0.0.1");
        // the oldest failure was 4 s ago, so it ages out in 56 s
        assertEquals(56, limiter.retryAfterSeconds("10.0.0.1"));
        assertEquals(0, limiter.retryAfterSeconds("10.0.0.2"), "other clients are not affected");
    }

    @Test
    void lockoutEndsWhenTheOldestFailureLeavesTheWindow() {
        for (int i = 0; i < 5; i++) limiter.recordFailure("c");
        assertEquals(60, limiter.retryAfterSeconds("c"));
        advanceSeconds(59);
        assertEquals(1, limiter.retryAfterSeconds("c"));
        advanceSeconds(1);
        assertEquals(0, limiter.retryAfterSeconds("c"));
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverLockOut() {
        for (int i = 0; i < 50; i++) {
            limiter.recordFailure("slow");
            assertEquals(0, limiter.retryAfterSeconds("slow"), "failure " + i);
            advanceSeconds(16); // five failures then span 64 s, more than the window
        }
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> new FailureLimiter(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new FailureLimiter(3, Duration.ZERO));
    }
}
