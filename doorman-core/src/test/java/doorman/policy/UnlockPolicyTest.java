package doorman.policy;

import doorman.match.Recognition;
import doorman.MutableClock;
import doorman.config.PolicyConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class UnlockPolicyTest {

    /** A frame captured at a given instant. */
    interface FrameAt {
        FrameOutcome at(Instant time);
    }

    // Monday 2025-03-03 09:00 UTC = 10:00 in Berlin
    static final Instant MONDAY_9_UTC = Instant.parse("2025-03-03T09:00:00Z");
    static final Duration FRAME = Duration.ofMillis(100);

    static final long ALICE = 1, BOB = 2, CAROL = 3, DAVE = 4, GHOST = 99;

    final MutableClock clock = new MutableClock(MONDAY_9_UTC);
    final Map<Long, PersonAccess> people = new HashMap<>(Map.of(
            ALICE, PersonAccess.always(ALICE, "Alice"),
            BOB, PersonAccess.always(BOB, "Bob")));
    UnlockPolicy policy = policy(new PolicyConfig(3, 1, 2000, 5000, 60_000, "UTC"));

    UnlockPolicy policy(PolicyConfig config) {
        return new UnlockPolicy(config, clock, id -> Optional.ofNullable(people.get(id)));
    }

    /** Advances the clock one frame and feeds a frame captured now. */
    Decision feed(FrameAt frame) {
        clock.advance(FRAME);
        return policy.onFrame(frame.at(clock.instant()));
    }

    static FrameAt accept(long person) {
        return t -> FrameOutcome.accepted(t, person, true, true);
    }

    Decision acceptTimes(long person, int n) {
        Decision d = null;
        for (int i = 0; i < n; i++) d = feed(accept(person));
        return d;
    }

    @Test
    void threeLiveFramesOfOnePersonUnlock() {
        Decision first = feed(accept(ALICE));
        assertEquals(Action.NONE, first.action());
        assertEquals("seen 1 of 3 frames", first.reason());
        assertEquals("seen 2 of 3 frames", feed(accept(ALICE)).reason());
        Decision third = feed(accept(ALICE));
        assertEquals(Action.UNLOCK, third.action());
        assertEquals(ALICE, third.personId());
        assertEquals("3 frames (3 live) in 200 ms", third.reason());
    }

    @Test
    void anotherPersonStartsTheCountAgain() {
        acceptTimes(ALICE, 2);
        assertEquals("seen 1 of 3 frames", feed(accept(BOB)).reason());
        assertEquals("seen 1 of 3 frames", feed(accept(ALICE)).reason());
        assertEquals(Action.NONE, feed(accept(ALICE)).action());
        assertEquals(Action.UNLOCK, feed(accept(ALICE)).action());
    }

    @Test
    void everyKindOfNonAcceptedFrameBreaksTheStreak() {
        Map<String, FrameAt> breakers = Map.of(
                "uncertain match", t -> new FrameOutcome(t, ALICE, Recognition.UNCERTAIN, true, true),
                "no face", FrameOutcome::noFace,
                "face quality too low", t -> FrameOutcome.accepted(t, ALICE, true, false),
                "stranger, but the face is too poor to report", t -> FrameOutcome.stranger(t, true, false));
        breakers.forEach((reason, breaker) -> {
            acceptTimes(ALICE, 2);
            Decision broken = feed(breaker);
            assertEquals(Action.NONE, broken.action(), reason);
            assertEquals(reason, broken.reason());
            assertEquals("seen 1 of 3 frames", feed(accept(ALICE)).reason(), "after " + reason);
            policy.resetStreak();
        });
    }

    @Test
    void livenessVotesOverTheStreakInsteadOfVetoingAFrame() {
        policy = policy(new PolicyConfig(3, 2, 2000, 5000, 60_000, "UTC"));
        clock.advance(Duration.ofMillis(100));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, false, true));
        clock.advance(Duration.ofMillis(100));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, true, true));
        clock.advance(Duration.ofMillis(100));
        Decision third = policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, false, true));
        assertEquals(Action.DENIED, third.action(), "recognised but not live is reported, not silently dropped");
        assertEquals("not live: only 1 of 3 frames looked live, need 2", third.reason());
        clock.advance(Duration.ofMillis(100));
        Decision fourth = policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, true, true));
        assertEquals(Action.UNLOCK, fourth.action(), "the last three frames hold two live ones");
        assertEquals("3 frames (2 live) in 200 ms", fourth.reason());
    }

    @Test
    void livenessIsOnlyNeededUntilTheStreakHoldsEnoughLiveFrames() {
        assertTrue(policy.needsLiveFrame(ALICE));
        clock.advance(Duration.ofMillis(100));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, true, true));
        assertFalse(policy.needsLiveFrame(ALICE), "one live frame is in the streak and stays for the next frame");
        assertTrue(policy.needsLiveFrame(BOB), "another person starts a new streak");
        clock.advance(Duration.ofMillis(100));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, false, true));
        clock.advance(Duration.ofMillis(100));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, false, true)); // unlocks: 3 frames, 1 live
        assertTrue(policy.needsLiveFrame(ALICE), "after an unlock the streak starts again");
    }

    @Test
    void aLiveFrameAboutToLeaveTheStreakDoesNotCount() {
        clock.advance(Duration.ofMillis(100));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, true, true));
        clock.advance(Duration.ofMillis(100));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, false, false)); // poor quality: streak restarts
        clock.advance(Duration.ofMillis(100));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, false, true));
        clock.advance(Duration.ofMillis(100));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, false, true));
        assertTrue(policy.needsLiveFrame(ALICE), "the two frames that stay hold no live one");
    }

    @Test
    void noLiveFrameMeansNoUnlock() {
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMillis(100));
            assertNotEquals(Action.UNLOCK, policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, false, true)).action());
        }
    }

    @Test
    void framesMustFitInTheWindow() {
        clock.advance(Duration.ofSeconds(1));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, true, true));
        clock.advance(Duration.ofMillis(1500));
        policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, true, true));
        clock.advance(Duration.ofMillis(1500));
        Decision third = policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, true, true));
        assertEquals(Action.NONE, third.action());
        assertEquals("3 frames took 3000 ms, more than 2000 ms", third.reason());
        clock.advance(Duration.ofMillis(500)); // the last three now span exactly 2000 ms
        assertEquals(Action.UNLOCK, policy.onFrame(FrameOutcome.accepted(clock.instant(), ALICE, true, true)).action());
    }

    @Test
    void staleFramesNeverCount() {
        Instant old = clock.instant().minusSeconds(3);
        Decision d = policy.onFrame(FrameOutcome.accepted(old, ALICE, true, true));
        assertEquals("frame is stale (captured 3000 ms ago)", d.reason());
        acceptTimes(ALICE, 2);
        clock.advance(Duration.ofSeconds(5));
        // two fresh frames, then one from before the pause: the stale one resets, it does not complete the streak
        assertEquals(Action.NONE, policy.onFrame(FrameOutcome.accepted(clock.instant().minusSeconds(4), ALICE, true, true)).action());
        assertEquals("seen 1 of 3 frames", feed(accept(ALICE)).reason());
    }

    @Test
    void cooldownFollowsAnUnlockAndThenAFreshStreakIsNeeded() {
        assertEquals(Action.UNLOCK, acceptTimes(ALICE, 3).action());
        Decision during = feed(accept(BOB));
        assertEquals(Action.NONE, during.action());
        assertEquals("cooldown (4900 ms left)", during.reason());
        clock.advance(Duration.ofMillis(4500)); // three frames at 4.7, 4.8 and 4.9 s after the unlock: still cooling down
        assertTrue(acceptTimes(ALICE, 3).reason().startsWith("cooldown"));
        clock.advance(Duration.ofMillis(100)); // past the cooldown
        assertEquals("seen 1 of 3 frames", feed(accept(ALICE)).reason());
        assertEquals(Action.NONE, feed(accept(ALICE)).action());
        assertEquals(Action.UNLOCK, feed(accept(ALICE)).action());
    }

    @Test
    void disabledPeopleAreDeniedAndTheRefusalIsRateLimited() {
        people.put(CAROL, new PersonAccess(CAROL, "Carol", false, PersonSchedule.ALWAYS));
        Decision denied = acceptTimes(CAROL, 3);
        assertEquals(Action.DENIED, denied.action());
        assertEquals(CAROL, denied.personId());
        assertEquals("Carol is disabled", denied.reason());
        Decision again = acceptTimes(CAROL, 3);
        assertEquals(Action.NONE, again.action());
        assertEquals("Carol is disabled (refusal already reported)", again.reason());
        clock.advance(Duration.ofSeconds(60));
        assertEquals(Action.DENIED, acceptTimes(CAROL, 3).action());
        // a refusal is no unlock: no cooldown for others
        assertEquals(Action.UNLOCK, acceptTimes(ALICE, 3).action());
    }

    @Test
    void idsTheDirectoryDoesNotKnowAreDenied() {
        Decision d = acceptTimes(GHOST, 3);
        assertEquals(Action.DENIED, d.action());
        assertEquals("person 99 is not enrolled", d.reason());
    }

    @Test
    void schedulesAreReadInTheConfiguredZone() {
        people.put(DAVE, new PersonAccess(DAVE, "Dave", true, PersonSchedule.parse("mon-fri 08:00-18:00")));
        policy = policy(new PolicyConfig(3, 1, 2000, 5000, 60_000, "Europe/Berlin"));
        clock.set(Instant.parse("2025-03-03T06:30:00Z")); // Monday 07:30 in Berlin: too early
        Decision early = acceptTimes(DAVE, 3);
        assertEquals(Action.DENIED, early.action());
        assertEquals("Dave is outside their schedule (mon-fri 08:00-18:00)", early.reason());
        clock.set(Instant.parse("2025-03-03T07:30:00Z")); // 08:30 in Berlin, still 07:30 UTC
        assertEquals(Action.UNLOCK, acceptTimes(DAVE, 3).action());
        clock.set(Instant.parse("2025-03-08T12:00:00Z")); // Saturday
        assertEquals(Action.DENIED, acceptTimes(DAVE, 3).action());
    }

    @Test
    void strangerEventsAreRateLimited() {
        Decision first = feed(t -> FrameOutcome.stranger(t, true, true));
        assertEquals(Action.STRANGER_EVENT, first.action());
        assertNull(first.personId());
        Decision second = feed(t -> FrameOutcome.stranger(t, true, true));
        assertEquals(Action.NONE, second.action());
        assertEquals("stranger (already reported 100 ms ago)", second.reason());
        clock.advance(Duration.ofSeconds(60));
        assertEquals(Action.STRANGER_EVENT, feed(t -> FrameOutcome.stranger(t, false, true)).action());
    }

    @Test
    void oneFramePolicyUnlocksAtOnce() {
        policy = policy(new PolicyConfig(1, 1, 2000, 0, 0, "UTC"));
        assertEquals(Action.UNLOCK, feed(accept(ALICE)).action());
        assertEquals(Action.UNLOCK, feed(accept(BOB)).action(), "no cooldown configured");
    }

    @Test
    void framesAreChecked() {
        Instant t = clock.instant();
        assertThrows(IllegalArgumentException.class, () -> new FrameOutcome(t, null, Recognition.ACCEPT, true, true));
        assertThrows(IllegalArgumentException.class, () -> new FrameOutcome(t, ALICE, Recognition.NO_FACE, false, false));
        assertThrows(NullPointerException.class, () -> new FrameOutcome(null, null, Recognition.STRANGER, true, true));
    }
}
