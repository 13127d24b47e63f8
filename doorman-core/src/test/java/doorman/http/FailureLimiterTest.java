package doorman.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class FailureLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final FailureLimiter limiter = new FailureLimiter(5, 20, Duration.ofSeconds(60), now::get);

    private void advanceSeconds(long s) {
        now.addAndGet(s * 1_000_000_000L);
    }

    @Test
    void locksOutAfterTheFifthFailureWithinTheWindowAndSaysSoOnce() {
        for (int i = 0; i < 4; i++) {
            assertEquals(Optional.empty(), limiter.recordFailure("10.0.0.1"));
            advanceSeconds(1);
        }
        assertEquals(0, limiter.retryAfterSeconds("10.0.0.1"));
        String line = limiter.recordFailure("10.0.0.1").orElseThrow();
        assertTrue(line.contains("10.0.0.1") && line.contains("5 wrong tokens"), line);
        assertEquals(60, limiter.retryAfterSeconds("10.0.0.1"));
        assertEquals(0, limiter.retryAfterSeconds("10.0.0.2"), "other clients are not affected");
    }

    @Test
    void eachRepeatedLockoutLastsTwiceAsLongUpToAnHour() {
        long[] expected = {60, 120, 240, 480, 960, 1920, 3600, 3600};
        for (long seconds : expected) {
            for (int i = 0; i < 5; i++) limiter.recordFailure("c");
            assertEquals(seconds, limiter.retryAfterSeconds("c"));
            advanceSeconds(seconds);
            assertEquals(0, limiter.retryAfterSeconds("c"));
        }
    }

    @Test
    void anHourOfQuietForgivesThePast() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5; i++) limiter.recordFailure("c");
            advanceSeconds(limiter.retryAfterSeconds("c"));
        }
        advanceSeconds(3601);
        for (int i = 0; i < 5; i++) limiter.recordFailure("c");
        assertEquals(60, limiter.retryAfterSeconds("c"));
    }

    @Test
    void manyAddressesTogetherHitTheGlobalCap() {
        Optional<String> line = Optional.empty();
        for (int i = 0; i < 20; i++) {
            assertEquals(0, limiter.retryAfterSeconds("10.0.1." + i));
            line = limiter.recordFailure("10.0.1." + i); // one guess each: no address reaches its own limit
        }
        assertTrue(line.orElseThrow().contains(FailureLimiter.EVERYONE), line.toString());
        assertEquals(60, limiter.retryAfterSeconds("10.0.9.9"), "a fresh address is refused too");
        advanceSeconds(60);
        assertEquals(0, limiter.retryAfterSeconds("10.0.9.9"));
        for (int i = 0; i < 20; i++) limiter.recordFailure("10.0.2." + i);
        assertEquals(120, limiter.retryAfterSeconds("10.0.9.9"), "the global lockout grows too");
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverLockOut() {
        for (int i = 0; i < 50; i++) {
            assertEquals(Optional.empty(), limiter.recordFailure("slow"));
            assertEquals(0, limiter.retryAfterSeconds("slow"), "failure " + i);
            advanceSeconds(16); // five failures then span 64 s, more than the window
        }
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> new FailureLimiter(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new FailureLimiter(3, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new FailureLimiter(5, 4, Duration.ofSeconds(1), now::get));
    }
}
