package doorman.match;

/**
 * The accept distance for the door's 1:N question, from a target stranger-accept rate per visit and the enrolled
 * references (a person's centroid, or each template when templates are kept apart). A stranger's visit is accepted if
 * it comes within the distance of any reference; by the union bound the rate per visit is at most the sum of the
 * references' rates, each read from the stranger curve for the number of photos it is made of. The threshold is the
 * largest distance where that sum stays within the target. A visit's near-identical frames fuse to about one frame,
 * so the curve of single photos against references is the honest one for the worst case (a stranger standing still).
 * Recomputed whenever the gallery changes.
 *
 * @param distance               squared distance at or below which a fused visit may be accepted
 * @param comparisons            references a visit is compared with
 * @param target                 the configured stranger accept per visit
 * @param expectedStrangerAccept the union bound at {@code distance}, capped at 1; when the target is below what the
 *                               curves resolve, this is the (higher) bound that can be claimed
 */
public record DoorThreshold(double distance, int comparisons, double target, double expectedStrangerAccept) {

    /** @param templatesPerReference how many photos each reference is made of (1 for a single template) */
    public static DoorThreshold forTarget(StrangerCurves curves, double targetPerVisit, int[] templatesPerReference) {
        if (!(targetPerVisit > 0 && targetPerVisit < 1))
            throw new IllegalArgumentException("the stranger accept per visit must be in (0, 1), got " + targetPerVisit);
        int[] refs = templatesPerReference.length == 0 ? new int[]{1} : templatesPerReference;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int k : refs) {
            double[] d = curves.forTemplates(k).distances();
            lo = Math.min(lo, d[0]);
            hi = Math.max(hi, d[d.length - 1]);
        }
        double distance;
        if (expected(curves, lo, refs) > targetPerVisit) distance = lo;
        else if (expected(curves, hi, refs) <= targetPerVisit) distance = hi;
        else {
            for (int i = 0; i < 60; i++) {
                double mid = (lo + hi) / 2;
                if (expected(curves, mid, refs) <= targetPerVisit) lo = mid;
                else hi = mid;
            }
            distance = lo;
        }
        return new DoorThreshold(distance, refs.length, targetPerVisit, expected(curves, distance, refs));
    }

    /** One curve for every reference, each a single photo. */
    public static DoorThreshold forTarget(StrangerCurve curve, double targetPerVisit, int comparisons) {
        int[] ones = new int[Math.max(1, comparisons)];
        java.util.Arrays.fill(ones, 1);
        return forTarget(StrangerCurves.of(curve), targetPerVisit, ones);
    }

    /** The union bound: the sum of the references' rates at {@code distance}, at most 1. */
    public static double expected(StrangerCurves curves, double distance, int[] templatesPerReference) {
        double sum = 0;
        for (int k : templatesPerReference) sum += curves.forTemplates(k).rateAt(distance);
        return Math.min(1.0, Math.max(sum, templatesPerReference.length == 0 ? curves.forTemplates(1).rateAt(distance) : 0));
    }

    /** {@code comparisons} single-photo references. */
    public static double expected(StrangerCurve curve, double distance, int comparisons) {
        return Math.min(1.0, Math.max(1, comparisons) * curve.rateAt(distance));
    }
}
