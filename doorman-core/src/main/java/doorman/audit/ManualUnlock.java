package doorman.audit;

import doorman.lock.LockActuator;
import doorman.metrics.Metrics;
import doorman.policy.Action;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The one way to open the door without a face (the HTTP API, Home Assistant over MQTT): the unlock is audited
 * before the relay moves, so an unlock that is not in the audit log never happened; if auditing fails, the door
 * stays shut. A refused request is audited too.
 */
public final class ManualUnlock {

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

    public ManualUnlock(LockActuator lock, Duration pulse, AuditLog audit, Metrics metrics, Clock clock) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.pulse = Objects.requireNonNull(pulse, "pulse");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Audits, then pulses the relay. {@code source} labels the unlock metric (e.g. "manual", "mqtt");
     * {@code reason} says who asked, for the audit log.
     */
    public AuditEvent unlock(String source, String reason) {
        AuditEvent recorded = audit.record(new AuditEvent(0, clock.instant(), Action.UNLOCK, null, null,
                Double.NaN, Double.NaN, Double.NaN, "", reason));
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
