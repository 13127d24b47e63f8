package doorman.policy;

import doorman.config.PolicyConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns per-frame recognitions into door actions. The door opens after {@code frames} accepted, live,
 * good-quality frames of the same person in a row whose capture times span at most {@code window}; any other frame
 * (another person, uncertain, stranger, no face, not live, poor quality) starts the count again. After an unlock
 * nothing opens the door for {@code cooldown}. A disabled person, one outside their schedule, or an id the
 * directory does not know is {@link Action#DENIED} instead. Stranger events and repeated refusals of one person are
 * reported at most once per {@code strangerEventInterval}.
 *
 * <p>The clock is "now": frames captured longer than one window ago are too stale to open the door, and
 * schedules and cooldowns are judged at the clock's instant in the configured zone. Not thread-safe: feed it from
 * the frame loop only.
 */
public final class UnlockPolicy {

    private final int frames;
    private final int liveFrames;
    private final Duration window;
    private final Duration cooldown;
    private final Duration eventInterval;
    private final ZoneId zone;
    private final Clock clock;
    private final Function<Long, Optional<PersonAccess>> directory;

    private final ArrayDeque<Instant> streak = new ArrayDeque<>();
    private final ArrayDeque<Boolean> streakLive = new ArrayDeque<>();
    private Long streakPerson;
    private Instant lastUnlock;
    private Instant lastStrangerEvent;
    private final Map<Long, Instant> lastDenial = new HashMap<>();

    /**
     * @param directory looks a person up by id; empty for an id it does not know (e.g. deleted since matching)
     */
    public UnlockPolicy(PolicyConfig config, Clock clock, Function<Long, Optional<PersonAccess>> directory) {
        this.frames = config.frames();
        this.liveFrames = config.requiredLiveFrames();
        this.window = config.window();
        this.cooldown = config.cooldown();
        this.eventInterval = config.strangerEventInterval();
        this.zone = config.zone();
        this.clock = clock;
        this.directory = directory;
    }

    public Decision onFrame(FrameOutcome frame) {
        Instant now = clock.instant();
        if (frame.time().isBefore(now.minus(window))) {
            resetStreak();
            return Decision.none(frame.personId(), "frame is stale (captured " + millis(Duration.between(frame.time(), now)) + " ago)");
        }
        return switch (frame.recognition()) {
            case NO_FACE -> {
                resetStreak();
                yield Decision.none(null, "no face");
            }
            case UNCERTAIN -> {
                resetStreak();
                yield Decision.none(frame.personId(), "uncertain match");
            }
            case STRANGER -> stranger(frame, now);
            case ACCEPT -> accepted(frame, now);
        };
    }

    /**
     * Whether a live frame of this person would still count: false when the frames that will stay in the streak
     * after the next one already hold enough live frames. The anti-spoofing model is slow (about 0.3 s a face on
     * a desktop core), so the loop asks before running it.
     */
    public boolean needsLiveFrame(long personId) {
        if (streakPerson == null || personId != streakPerson) return true;
        int keep = Math.min(streakLive.size(), frames - 1);
        long live = streakLive.stream().skip(streakLive.size() - keep).filter(Boolean::booleanValue).count();
        return live < liveFrames;
    }

    /** Forgets the current streak, e.g. when the camera restarts. Cooldown and rate limits stay. */
    public void resetStreak() {
        streak.clear();
        streakLive.clear();
        streakPerson = null;
    }

    private Decision stranger(FrameOutcome frame, Instant now) {
        resetStreak();
        if (!frame.qualityOk()) return Decision.none(null, "stranger, but the face is too poor to report");
        if (lastStrangerEvent != null && now.isBefore(lastStrangerEvent.plus(eventInterval)))
            return Decision.none(null, "stranger (already reported " + millis(Duration.between(lastStrangerEvent, now)) + " ago)");
        lastStrangerEvent = now;
        return new Decision(Action.STRANGER_EVENT, null, "unknown face at the door");
    }

    private Decision accepted(FrameOutcome frame, Instant now) {
        Long person = frame.personId();
        if (!frame.qualityOk()) {
            resetStreak();
            return Decision.none(person, "face quality too low");
        }
        if (lastUnlock != null && now.isBefore(lastUnlock.plus(cooldown))) {
            resetStreak();
            return Decision.none(person, "cooldown (" + millis(Duration.between(now, lastUnlock.plus(cooldown))) + " left)");
        }
        if (!person.equals(streakPerson)) {
            resetStreak();
            streakPerson = person;
        }
        streak.addLast(frame.time());
        streakLive.addLast(frame.live());
        while (streak.size() > frames) {
            streak.removeFirst();
            streakLive.removeFirst();
        }
        if (streak.size() < frames)
            return Decision.none(person, "seen " + streak.size() + " of " + frames + " frames");
        Duration span = Duration.between(streak.peekFirst(), streak.peekLast());
        if (span.compareTo(window) > 0)
            return Decision.none(person, frames + " frames took " + millis(span) + ", more than " + millis(window));
        long live = streakLive.stream().filter(Boolean::booleanValue).count();
        // recognised but not live: a photo or a screen, most likely; the owner hears of it once per interval
        if (live < liveFrames)
            return deny(person, now, "not live: only " + live + " of " + frames + " frames looked live, need " + liveFrames);
        resetStreak();
        return admit(person, now, span, live);
    }

    private Decision admit(Long person, Instant now, Duration span, long live) {
        Optional<PersonAccess> found = directory.apply(person);
        String refusal = found.isEmpty() ? "person " + person + " is not enrolled"
                : !found.get().enabled() ? found.get().name() + " is disabled"
                : !found.get().schedule().allows(now.atZone(zone))
                ? found.get().name() + " is outside their schedule (" + found.get().schedule() + ")"
                : null;
        if (refusal == null) {
            lastUnlock = now;
            return new Decision(Action.UNLOCK, person, frames + " frames (" + live + " live) in " + millis(span));
        }
        return deny(person, now, refusal);
    }

    /** A refusal about a known person, reported once per stranger-event interval and otherwise only decided. */
    private Decision deny(Long person, Instant now, String refusal) {
        Instant last = lastDenial.get(person);
        if (last != null && now.isBefore(last.plus(eventInterval)))
            return Decision.none(person, refusal + " (refusal already reported)");
        lastDenial.put(person, now);
        lastDenial.values().removeIf(t -> now.isAfter(t.plus(eventInterval)));
        return new Decision(Action.DENIED, person, refusal);
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
