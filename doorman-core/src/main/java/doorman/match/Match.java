package doorman.match;

import java.util.Objects;

/**
 * How a probe face compares with one enrolled person: the smallest squared distance to their templates,
 * the calibrated probability that it is the same person, and the decision. Only {@link Recognition#ACCEPT}
 * may open the door.
 */
public record Match(long personId, String name, double distance, double probability, Recognition decision) {

    public Match {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(decision, "decision");
    }

    public boolean accepted() {
        return decision == Recognition.ACCEPT;
    }
}
