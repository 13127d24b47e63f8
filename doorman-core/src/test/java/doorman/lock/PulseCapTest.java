package doorman.lock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pulses asked during a pulse extend it only up to the hold cap (pure timing arithmetic, no clock involved). */
class PulseCapTest {

    static final long MS = 1_000_000L;

    @Test
    void repeatedPulsesNeverHoldTheRelayBeyondTwiceThePulse() {
        long pulse = 1500 * MS;
        long since = 0;
        long releaseAt = since + PulsedLock.remainingHold(since, since, pulse);
        // the red-team's 12 requests 0.8 s apart, each asking for another 1.5 s while the relay is still held
        for (long now = 800 * MS; now < releaseAt; now += 800 * MS)
            releaseAt = now + PulsedLock.remainingHold(now, since, pulse);
        assertEquals(3000 * MS, releaseAt, "held 3 s at most, not 14.3 s");
    }

    @Test
    void aSinglePulseIsNotShortenedAndTheCapStopsAtSixtySeconds() {
        assertEquals(1500 * MS, PulsedLock.remainingHold(0, 0, 1500 * MS));
        assertEquals(PulsedLock.LONGEST_PULSE.toNanos(), PulsedLock.holdCap(50_000 * MS));
        assertTrue(PulsedLock.remainingHold(10_000 * MS, 0, 1500 * MS) >= 1, "past the cap: release at once");
    }
}
