package doorman.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

/**
 * When recognitions open the door: {@code frames} accepted, good-quality frames of one person in a row, of which
 * at least {@code liveFrames} passed the liveness check (null, the default: all of them, so one lucky frame cannot
 * open the door),
 * spanning at most {@code windowMs}; then no unlock for {@code cooldownMs}; stranger events at most once per
 * {@code strangerEventIntervalMs}. Schedules are read in {@code timeZone} ("system" for the board's zone).
 */
public record PolicyConfig(int frames, Integer liveFrames, long windowMs, long cooldownMs, long strangerEventIntervalMs,
                           String timeZone) {

    public PolicyConfig {
        Checks.between("policy.frames", frames, 1, 30);
        if (liveFrames != null) Checks.between("policy.live-frames", liveFrames, 1, frames);
        Checks.between("policy.window-ms", windowMs, 100, 60_000);
        Checks.between("policy.cooldown-ms", cooldownMs, 0, 600_000);
        Checks.between("policy.stranger-event-interval-ms", strangerEventIntervalMs, 0, 86_400_000);
        Checks.present("policy.time-zone", timeZone);
        if (!timeZone.equals("system")) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("policy.time-zone must be \"system\" or a zone such as Europe/Berlin, got '"
                        + timeZone + "'");
            }
        }
    }

    public static PolicyConfig defaults() {
        return new PolicyConfig(3, null, 2000, 5000, 60_000, "system");
    }

    /** Frames of the streak that must be live: {@code liveFrames}, or all of them when it is not set. */
    public int requiredLiveFrames() {
        return liveFrames == null ? frames : liveFrames;
    }

    public Duration window() {
        return Duration.ofMillis(windowMs);
    }

    public Duration cooldown() {
        return Duration.ofMillis(cooldownMs);
    }

    public Duration strangerEventInterval() {
        return Duration.ofMillis(strangerEventIntervalMs);
    }

    public ZoneId zone() {
        return timeZone.equals("system") ? ZoneId.systemDefault() : ZoneId.of(timeZone);
    }
}
