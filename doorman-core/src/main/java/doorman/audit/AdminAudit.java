package doorman.audit;

import doorman.policy.Action;

import java.time.Clock;

/**
 * Audits changes to who can enter, and failed sign-ins, as {@link Action#ADMIN} events. It is called after the
 * change has committed, so a failing audit store (a full disk) cannot undo or half-make the change; the event
 * is then written to the log at error level instead, with the same fields, so the journal still has it.
 */
public final class AdminAudit {

    private final AuditLog store;
    private final Clock clock;

    public AdminAudit(AuditLog store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** {@code what} says what changed and through which door (CLI, API from an address); never a token or key. */
    public void record(Long personId, String personName, String what) {
        AuditEvent event = new AuditEvent(0, clock.instant(), Action.ADMIN, personId,
                personName, Double.NaN, Double.NaN, Double.NaN, "", what);
        store.recordOrLog(event);
    }

    /** A failed sign-in line from the API's limiter. */
    public void signIn(String line) {
        record(null, null, line);
    }
}
