package doorman.match;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * How often a face of someone else lands within a distance of one enrolled template: the false-accept rate per
 * comparison as a function of the squared distance, tabulated from different-person pairs of people that the
 * encoder, the calibration and the door evaluation never test on (one of {@link StrangerCurves}). Between points it is interpolated linearly in distance and log rate; below its first point the
 * rate is unknown, so {@link #distanceFor} never goes looser than the data and never tighter than its first point.
 *
 * @param encoder   embedding space the pairs were measured in
 * @param pairs     different-person pairs measured; 1 / pairs is the smallest rate the curve can resolve
 * @param distances increasing squared distances
 * @param rates     share of the pairs at or below each distance, non-decreasing, in (0, 1]
 */
public record StrangerCurve(String encoder, long pairs, double[] distances, double[] rates) {

    public StrangerCurve {
        if (distances.length == 0 || distances.length != rates.length)
            throw new IllegalArgumentException("a stranger curve needs as many rates as distances, and at least one");
        if (pairs < 1) throw new IllegalArgumentException("a stranger curve needs at least one pair");
        distances = distances.clone();
        rates = rates.clone();
        for (int i = 0; i < distances.length; i++) {
            if (!(rates[i] > 0 && rates[i] <= 1) || !(distances[i] >= 0))
                throw new IllegalArgumentException("bad point " + distances[i] + " -> " + rates[i]);
            if (i > 0 && (distances[i] <= distances[i - 1] || rates[i] < rates[i - 1]))
                throw new IllegalArgumentException("a stranger curve must increase, point " + i + " does not");
        }
    }

    /** The smallest rate the curve resolves. */
    public double floor() {
        return rates[0];
    }

    /** Rate per comparison at {@code distance}; at most {@link #floor()} below the first point (not measurable there). */
    public double rateAt(double distance) {
        if (distance <= distances[0]) return rates[0];
        int last = distances.length - 1;
        if (distance >= distances[last]) return rates[last];
        int i = Arrays.binarySearch(distances, distance);
        if (i >= 0) return rates[i];
        int hi = -i - 1, lo = hi - 1;
        double t = (distance - distances[lo]) / (distances[hi] - distances[lo]);
        return Math.exp(Math.log(rates[lo]) + t * (Math.log(rates[hi]) - Math.log(rates[lo])));
    }

    /** The largest distance whose rate per comparison is at most {@code rate}; the first point's when below the floor. */
    public double distanceFor(double rate) {
        if (!(rate > 0)) throw new IllegalArgumentException("rate must be > 0, got " + rate);
        if (rate <= rates[0]) return distances[0];
        int last = rates.length - 1;
        if (rate >= rates[last]) return distances[last];
        int hi = 1;
        while (rates[hi] <= rate) hi++;
        int lo = hi - 1;
        if (rates[hi] == rates[lo]) return distances[lo];
        double t = (Math.log(rate) - Math.log(rates[lo])) / (Math.log(rates[hi]) - Math.log(rates[lo]));
        return distances[lo] + t * (distances[hi] - distances[lo]);
    }

    /** {@code stranger-curve-<space>.json} in a models folder. */
    public static Path forSpace(Path dir, String space) {
        return dir.resolve("stranger-curve-" + space + ".json");
    }
}
