package doorman.match;

import java.util.Objects;

/**
 * The result of a 1:K search: the nearest enrolled person and the distance to the nearest <em>other</em>
 * person ({@code NaN} when only one person could be compared). A small gap between the two means the face
 * sits between two people, so the best match is then never accepted.
 */
public record Identification(Match best, double secondDistance) {

    public Identification {
        Objects.requireNonNull(best, "best");
    }

    /** How much closer the best person is than the runner-up; {@code +Infinity} without a runner-up. */
    public double gap() {
        return Double.isNaN(secondDistance) ? Double.POSITIVE_INFINITY : secondDistance - best.distance();
    }
}
