package doorman.http;

import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.audit.AuditQuery;
import doorman.policy.Action;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/** /api/events: the audit log, newest first, a page at a time, filtered by person, time range and outcome. */
final class EventRoutes implements Routes.Group {

    static final int DEFAULT_LIMIT = 50;

    /** {@code snapshot}: whether GET /api/events/{id}/snapshot has a picture of the face at this refused visit. */
    record EventView(long id, String time, String outcome, Long personId, String personName, Double distance,
                     Double probability, Double livenessScore, String quality, String reason, boolean snapshot) {
        static EventView of(AuditEvent e, boolean snapshot) {
            return new EventView(e.id(), e.time().toString(), outcomeName(e.action()), e.personId(), e.personName(),
                    Views.finite(e.distance()), Views.finite(e.probability()), Views.finite(e.livenessScore()),
                    e.quality(), e.reason(), snapshot);
        }
    }

    /** {@code next} is the offset of the following page, null on the last one. */
    record EventPage(List<EventView> events, int offset, Integer next) {
    }

    private final AuditLog audit;
    private final java.util.function.LongPredicate hasSnapshot;

    EventRoutes(AuditLog audit) {
        this(audit, id -> false);
    }

    EventRoutes(AuditLog audit, java.util.function.LongPredicate hasSnapshot) {
        this.audit = audit;
        this.hasSnapshot = hasSnapshot;
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("/api/events", this::list);
    }

    private void list(Context ctx) {
        int offset = intParam(ctx, "offset", 0, 0, 1_000_000);
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT);
        Instant from = instantParam(ctx, "from");
        Instant to = instantParam(ctx, "to");
        if (from != null && to != null && from.isAfter(to)) throw new BadRequestResponse("'from' is after 'to'");
        String personParam = ctx.queryParam("person");
        Long person = null;
        if (personParam != null && !personParam.isBlank()) {
            try {
                person = Long.parseLong(personParam.trim());
            } catch (NumberFormatException e) {
                throw new BadRequestResponse("'person' must be a person's id (a whole number), got '" + personParam + "'");
            }
        }
        String outcome = ctx.queryParam("outcome");
        Action action = outcome == null || outcome.isBlank() ? null : parseOutcome(outcome);
        // one more than asked tells whether a next page exists
        List<AuditEvent> found = audit.query(new AuditQuery(person, from, to, action, offset, Math.min(limit + 1, AuditQuery.MAX_LIMIT)));
        boolean more = found.size() > limit;
        List<EventView> page = found.stream().limit(limit).map(e -> EventView.of(e, hasSnapshot.test(e.id()))).toList();
        ctx.json(new EventPage(page, offset, more ? offset + limit : null));
    }

    static String outcomeName(Action a) {
        return a.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Action parseOutcome(String raw) {
        for (Action a : Action.values()) if (outcomeName(a).equals(raw.strip().toLowerCase(Locale.ROOT))) return a;
        throw new BadRequestResponse("outcome must be one of " + java.util.Arrays.stream(Action.values())
                .map(EventRoutes::outcomeName).collect(java.util.stream.Collectors.joining(", ")));
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // same message below
        }
        throw new BadRequestResponse("'" + name + "' must be a whole number from " + min + " to " + max);
    }

    private static Instant instantParam(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return null;
        try {
            return Instant.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestResponse("'" + name + "' must be an ISO-8601 instant such as 2025-01-31T18:00:00Z");
        }
    }
}
