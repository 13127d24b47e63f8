package doorman.audit;

import doorman.policy.Action;
import doorman.policy.Decision;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited decision. {@code personId}/{@code personName} are null for an unknown face; distance, probability
 * and liveness score are NaN when not measured; {@code quality} is a short summary such as "ok" or
 * "blur 31 < 50". {@code id} is assigned by {@link AuditLog#record} and increases with every event.
 */
public record AuditEvent(long id, Instant time, Action action, Long personId, String personName, double distance,
                         double probability, double livenessScore, String quality, String reason) {

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
        quality = quality == null ? "" : quality;
        reason = reason == null ? "" : reason;
    }

    /** An event for a policy decision, not yet recorded (id 0). */
    public static AuditEvent of(Instant time, Decision decision, String personName, double distance,
                                double probability, double livenessScore, String quality) {
        return new AuditEvent(0, time, decision.action(), decision.personId(), personName, distance, probability,
                livenessScore, quality, decision.reason());
    }

    AuditEvent withId(long newId) {
        return new AuditEvent(newId, time, action, personId, personName, distance, probability, livenessScore, quality, reason);
    }
}
