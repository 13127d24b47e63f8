package doorman.http;

import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.audit.ManualUnlock;
import doorman.lock.LockActuator;
import doorman.metrics.Metrics;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.TooManyRequestsResponse;
import io.javalin.http.ServiceUnavailableResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * /api/door: the relay's state, and a manual unlock through {@link ManualUnlock} (audited before the relay moves,
 * spaced by a cooldown, refused while the door is open).
 */
final class DoorRoutes implements Routes.Group {

    private static final Logger log = LoggerFactory.getLogger(DoorRoutes.class);

    record DoorState(String state, boolean available) {
    }

    record Unlocked(String state, long auditId, double seconds) {
    }

    private final LockActuator lock;
    private final Duration pulse;
    private final ManualUnlock unlock;

    DoorRoutes(LockActuator lock, Duration pulse, AuditLog audit, Metrics metrics, Clock clock) {
        this.lock = lock;
        this.pulse = pulse;
        this.unlock = lock == null ? null : new ManualUnlock(lock, pulse, audit, metrics, clock);
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
        AuditEvent recorded;
        try {
            recorded = unlock.unlock("manual", "manual unlock through the API from " + ctx.ip());
        } catch (ManualUnlock.TooSoon e) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            throw new TooManyRequestsResponse(e.getMessage());
        } catch (ManualUnlock.AlreadyOpen e) {
            throw new ConflictResponse(e.getMessage());
        } catch (ManualUnlock.NotAudited e) {
            log.error("manual unlock refused: {}", e.getMessage());
            throw new HttpResponseException(e.diskFull() ? 507 : 503, e.getMessage());
        } catch (ManualUnlock.LockFailed e) {
            log.error("manual unlock failed: the lock did not pulse", e);
            throw new ServiceUnavailableResponse("the lock did not respond; the door stays locked");
        }
        ctx.json(new Unlocked("unlocked", recorded.id(), pulse.toMillis() / 1000.0));
    }
}
