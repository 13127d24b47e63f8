package doorman.match;

/**
 * The accept distance for the door's 1:N question, from a target stranger-accept rate per visit and the gallery's
 * size. A stranger's visit is accepted if it comes within the distance of any of {@code comparisons} enrolled
 * references (a person's centroid, or each template when templates are kept apart); by the union bound the rate
 * per visit is at most {@code comparisons} times the rate per comparison, so the rate per comparison is set to
 * {@code target / comparisons}. A visit's near-identical frames fuse to about one frame, so the curve per single
 * comparison is the honest one for the worst case (a stranger standing still). Recomputed whenever the gallery changes.
 *
 * @param distance              squared distance at or below which a fused visit may be accepted
 * @param comparisons           references a visit is compared with
 * @param target                the configured stranger accept per visit
 * @param expectedStrangerAccept the curve's rate at {@code distance} times {@code comparisons}, capped at 1; when the
 *                              target is below what the curve resolves, this is the (higher) resolvable bound
 */
public record DoorThreshold(double distance, int comparisons, double target, double expectedStrangerAccept) {

    public static DoorThreshold forTarget(StrangerCurve curve, double targetPerVisit, int comparisons) {
        if (!(targetPerVisit > 0 && targetPerVisit < 1))
            throw new IllegalArgumentException("the stranger accept per visit must be in (0, 1), got " + targetPerVisit);
        int n = Math.max(1, comparisons);
        double distance = curve.distanceFor(targetPerVisit / n);
        return new DoorThreshold(distance, n, targetPerVisit, expected(curve, distance, n));
    }

    /** The union bound: {@code comparisons} times the rate per comparison at {@code distance}, at most 1. */
    public static double expected(StrangerCurve curve, double distance, int comparisons) {
        return Math.min(1.0, Math.max(1, comparisons) * curve.rateAt(distance));
    }
}
