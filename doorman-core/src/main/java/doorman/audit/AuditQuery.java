package doorman.audit;

import doorman.policy.Action;

import java.time.Instant;

/**
 * A page of audit events, newest first. Null filters match everything; {@code from} and {@code to} are inclusive.
 */
public record AuditQuery(Long personId, Instant from, Instant to, Action action, int offset, int limit) {

    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (offset < 0) throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        if (limit < 1 || limit > MAX_LIMIT)
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        if (from != null && to != null && from.isAfter(to))
            throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
    }

    /** The newest {@code limit} events of any kind. */
    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, 0, limit);
    }

    public AuditQuery person(Long id) {
        return new AuditQuery(id, from, to, action, offset, limit);
    }

    public AuditQuery between(Instant start, Instant end) {
        return new AuditQuery(personId, start, end, action, offset, limit);
    }

    public AuditQuery action(Action kind) {
        return new AuditQuery(personId, from, to, kind, offset, limit);
    }

    public AuditQuery page(int newOffset, int newLimit) {
        return new AuditQuery(personId, from, to, action, newOffset, newLimit);
    }
}
