package doorman.http;

import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.lock.LockActuator;
import doorman.metrics.Metrics;
import doorman.policy.Action;
import io.javalin.http.ConflictResponse;
import doorman.gallery.DataDirectory;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.TooManyRequestsResponse;
import io.javalin.http.ServiceUnavailableResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * /api/door: the relay's state, and a manual unlock. A manual unlock is audited before the relay moves, so
 * an unlock that is not in the audit log never happened; if auditing fails, the door stays shut. Manual
 * unlocks are spaced by a cooldown (twice the pulse, at least {@link #MIN_COOLDOWN}) and refused while the
 * relay is energised, so repeated requests cannot hold the door open beyond one pulse.
 */
final class DoorRoutes implements Routes.Group {

    private static final Logger log = LoggerFactory.getLogger(DoorRoutes.class);

    record DoorState(String state, boolean available) {
    }

    record Unlocked(String state, long auditId, double seconds) {
    }

    private final LockActuator lock;
    private final Duration pulse;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Clock clock;
    private final Duration cooldown;
    private Instant lastManualUnlock;

    static final Duration MIN_COOLDOWN = Duration.ofSeconds(3);

    DoorRoutes(LockActuator lock, Duration pulse, AuditLog audit, Metrics metrics, Clock clock) {
        this.lock = lock;
        this.pulse = pulse;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        Duration twice = pulse.multipliedBy(2);
        this.cooldown = twice.compareTo(MIN_COOLDOWN) > 0 ? twice : MIN_COOLDOWN;
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("/api/door", this::state);
        routes.post("/api/door/unlock", this::unlock);
    }

    private void state(Context ctx) {
        if (lock == null) {
            ctx.json(new DoorState("unavailable", false));
            return;
        }
        ctx.json(new DoorState(lock.energised() ? "unlocked" : "locked", true));
    }

    private void unlock(Context ctx) {
        if (lock == null) throw new ConflictResponse("no lock in serve mode: run 'doorman run' to drive the door");
        String reason = "manual unlock through the API from " + ctx.ip();
        AuditEvent recorded;
        synchronized (this) {
            Instant now = clock.instant();
            if (lastManualUnlock != null && now.isBefore(lastManualUnlock.plus(cooldown))) {
                long wait = Math.max(1, (Duration.between(now, lastManualUnlock.plus(cooldown)).toMillis() + 999) / 1000);
                ctx.header("Retry-After", Long.toString(wait));
                throw new TooManyRequestsResponse("the door was unlocked moments ago; retry in " + wait + " s");
            }
            if (lock.energised()) throw new ConflictResponse("the door is unlocked right now");
            try {
                recorded = audit.record(new AuditEvent(0, now, Action.UNLOCK, null, null,
                        Double.NaN, Double.NaN, Double.NaN, "", reason));
            } catch (RuntimeException | AssertionError | LinkageError e) { // no audit, no unlock (MapDB throws IllegalAccessError when closed)
                String why = DataDirectory.describe(e);
                log.error("manual unlock refused: the audit log cannot be written: {}", why);
                throw new HttpResponseException(why.startsWith("the disk") ? 507 : 503,
                        "the audit log cannot be written (" + why + "); the door stays locked");
            }
            lastManualUnlock = now;
        }
        try {
            lock.pulse(pulse);
        } catch (RuntimeException e) { // hardware trouble or a lock closed by shutdown: the door stays shut
            log.error("manual unlock {} failed: the lock did not pulse", recorded.id(), e);
            throw new ServiceUnavailableResponse("the lock did not respond; the door stays locked");
        }
        metrics.recordUnlock("manual");
        ctx.json(new Unlocked("unlocked", recorded.id(), pulse.toMillis() / 1000.0));
    }
}
