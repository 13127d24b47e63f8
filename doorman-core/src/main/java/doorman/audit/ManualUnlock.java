package doorman.audit;

import doorman.lock.LockActuator;
import doorman.metrics.Metrics;
import doorman.policy.Action;

import java.time.Clock;
import java.time.Instant;
import doorman.gallery.DataDirectory;
import java.time.Duration;
import java.util.Objects;

/**
 * The one way to open the door without a face (the HTTP API, Home Assistant over MQTT): the unlock is audited
 * before the relay moves, so an unlock that is not in the audit log never happened; if auditing fails, the door
 * stays shut. Unlocks are spaced by a cooldown (twice the pulse, at least {@link #MIN_COOLDOWN}) and refused while
 * the relay is energised, so repeated requests cannot hold the door open. A refused request is audited too.
 */
public final class ManualUnlock {

    public static final Duration MIN_COOLDOWN = Duration.ofSeconds(3);

    /** Asked again within the cooldown; {@code retryAfterSeconds} says when it would be taken. */
    public static final class TooSoon extends RuntimeException {
        private final long retryAfterSeconds;

        TooSoon(long retryAfterSeconds) {
            super("the door was unlocked moments ago; retry in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** The relay is energised right now: another pulse would only hold the door open longer. */
    public static final class AlreadyOpen extends RuntimeException {
        AlreadyOpen() {
            super("the door is unlocked right now");
        }
    }

    /** The audit log cannot be written (a full disk, say): no audit, no unlock. */
    public static final class NotAudited extends RuntimeException {
        private final boolean diskFull;

        NotAudited(String why, boolean diskFull, Throwable cause) {
            super("the audit log cannot be written (" + why + "); the door stays locked", cause);
            this.diskFull = diskFull;
        }

        public boolean diskFull() {
            return diskFull;
        }
    }

    /** The relay did not pulse (hardware trouble, or the lock closed by shutdown): the door stays shut. */
    public static final class LockFailed extends RuntimeException {
        LockFailed(AuditEvent event, RuntimeException cause) {
            super("the lock did not respond to unlock " + event.id() + "; the door stays locked", cause);
        }
    }

    private final LockActuator lock;
    private final Duration pulse;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Clock clock;
    private final Duration cooldown;
    private Instant lastUnlock;

    public ManualUnlock(LockActuator lock, Duration pulse, AuditLog audit, Metrics metrics, Clock clock) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.pulse = Objects.requireNonNull(pulse, "pulse");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        Duration twice = pulse.multipliedBy(2);
        this.cooldown = twice.compareTo(MIN_COOLDOWN) > 0 ? twice : MIN_COOLDOWN;
    }

    /**
     * Audits, then pulses the relay. {@code source} labels the unlock metric (e.g. "manual", "mqtt");
     * {@code reason} says who asked, for the audit log.
     */
    public AuditEvent unlock(String source, String reason) {
        AuditEvent recorded;
        synchronized (this) {
            Instant now = clock.instant();
            if (lastUnlock != null && now.isBefore(lastUnlock.plus(cooldown)))
                throw new TooSoon(Math.max(1, (Duration.between(now, lastUnlock.plus(cooldown)).toMillis() + 999) / 1000));
            if (lock.energised()) throw new AlreadyOpen();
            try {
                recorded = audit.record(new AuditEvent(0, now, Action.UNLOCK, null, null,
                        Double.NaN, Double.NaN, Double.NaN, "", reason));
            } catch (RuntimeException | AssertionError | LinkageError e) { // MapDB throws IllegalAccessError when closed
                String why = DataDirectory.describe(e);
                throw new NotAudited(why, why.startsWith("the disk"), e);
            }
            lastUnlock = now;
        }
        try {
            lock.pulse(pulse);
        } catch (RuntimeException e) {
            throw new LockFailed(recorded, e);
        }
        metrics.recordUnlock(source);
        return recorded;
    }

    /** Records a request that was not carried out, and why. */
    public AuditEvent refuse(String reason) {
        return audit.record(new AuditEvent(0, clock.instant(), Action.DENIED, null, null,
                Double.NaN, Double.NaN, Double.NaN, "", reason));
    }

    public Duration pulse() {
        return pulse;
    }
}
