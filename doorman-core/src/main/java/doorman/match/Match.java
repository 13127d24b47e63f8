package doorman.match;

import java.util.Objects;

/**
 * How a probe face compares with one enrolled person: the smallest squared distance to their templates,
 * the calibrated probability that it is the same person, and the decision. Only {@link Decision#ACCEPT}
 * may open the door.
 */
public record Match(long personId, String name, double distance, double probability, Decision decision) {

    public enum Decision {
        /** Close enough to be this person. */
        ACCEPT,
        /** Too close to call a stranger, too far (or too near a second person) to accept. */
        UNCERTAIN,
        /** Farther than any enrolled face is expected to be from itself. */
        STRANGER
    }

    public Match {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(decision, "decision");
    }

    public boolean accepted() {
        return decision == Decision.ACCEPT;
    }
}
