package doorman.train;

import doorman.match.Calibration;

import java.util.Arrays;

/**
 * Turns labelled pair distances into a {@link Calibration}: a logistic unit for P(same person), an accept
 * distance chosen for a false accept rate, and an unknown distance where the logistic unit gives up on a match.
 *
 * <p>The logistic unit is fitted by Newton's method (IRLS) with the two classes weighted equally, so
 * P(same) reads as "for a probe equally likely to be enrolled or not", independent of how many impostor
 * pairs happened to be sampled. A tiny L2 penalty on the slope keeps it finite when the classes do not
 * overlap (without it the best slope is infinite); the intercept is not penalised, so the boundary stays put.
 */
public final class CalibrationFitter {

    public static final double DEFAULT_TARGET_FAR = 1e-3;

    /**
     * P(same) at the unknown distance. Beyond it the odds are 19 to 1 against a match, strong enough to
     * call the face a stranger; between the accept and unknown distances the daemon neither opens nor calls a
     * stranger, it asks for another look. A face cannot be accepted and a stranger at once, so the unknown
     * distance never falls below the accept distance. It would only do so with a loose FAR target, whose
     * accept distance reaches into distances the logistic unit already finds unlikely to be a match; then
     * there is no uncertain band and everything not accepted is a stranger.
     */
    public static final double UNKNOWN_PROBABILITY = 0.05;

    /** Slope penalty per pair: negligible against the data term unless the classes separate perfectly. */
    static final double RIDGE_PER_PAIR = 1e-6;

    private static final int MAX_ITERATIONS = 100;

    /** P(same) = sigmoid(intercept + slope * distance). */
    public record Logistic(double intercept, double slope) {
        public double probability(double distance) {
            return 1 / (1 + Math.exp(-(intercept + slope * distance)));
        }
    }

    private CalibrationFitter() {
    }

    /**
     * Fits the calibration for {@code encoder} from squared distances of genuine pairs (same person) and
     * impostor pairs (different people).
     *
     * @throws IllegalArgumentException if there are too few impostor pairs to measure {@code targetFar},
     *                                  or genuine pairs are not closer than impostor pairs on the whole
     */
    public static Calibration fit(String encoder, double[] genuine, double[] impostor, double targetFar) {
        Logistic logistic = fitLogistic(genuine, impostor);
        if (!(logistic.slope() < 0))
            throw new IllegalArgumentException("genuine pairs are not closer than impostor pairs (fitted slope "
                    + logistic.slope() + "); is the encoder or the labelling broken?");
        double accept = acceptDistance(impostor, targetFar);
        double logit = Math.log(UNKNOWN_PROBABILITY / (1 - UNKNOWN_PROBABILITY));
        double unknown = Math.max(accept, (logit - logistic.intercept()) / logistic.slope());
        return new Calibration(encoder, logistic.slope(), logistic.intercept(), accept, unknown, targetFar);
    }

    /**
     * The largest threshold t with FAR(t) <= targetFar, where FAR(t) is the share of impostor distances <= t:
     * with k = floor(targetFar * n) false accepts allowed, t lies just below the (k+1)-th smallest impostor
     * distance.
     */
    public static double acceptDistance(double[] impostor, double targetFar) {
        if (!(targetFar > 0 && targetFar < 1)) throw new IllegalArgumentException("target FAR must be in (0, 1), got " + targetFar);
        requireDistances(impostor, "impostor");
        long needed = (long) Math.ceil(1 / targetFar - 1e-9);
        if (impostor.length < needed)
            throw new IllegalArgumentException("measuring a false accept rate of " + targetFar + " needs at least "
                    + needed + " impostor pairs, got " + impostor.length);
        double[] sorted = impostor.clone();
        Arrays.sort(sorted);
        // the epsilon keeps 1e-3 * 1000 from rounding down to 0 allowed false accepts
        int allowed = (int) Math.floor(targetFar * sorted.length + 1e-9);
        double threshold = Math.nextDown(sorted[allowed]);
        if (!(threshold > 0))
            throw new IllegalArgumentException("impostor pairs at distance 0 (duplicate images of different people?) "
                    + "leave no accept distance for FAR " + targetFar);
        return threshold;
    }

    /** Maximum-likelihood logistic unit on distances, classes weighted equally, slope lightly penalised. */
    public static Logistic fitLogistic(double[] genuine, double[] impostor) {
        requireDistances(genuine, "genuine");
        requireDistances(impostor, "impostor");
        int total = genuine.length + impostor.length;
        double genuineWeight = total / (2.0 * genuine.length), impostorWeight = total / (2.0 * impostor.length);
        double ridge = RIDGE_PER_PAIR * total;
        double b0 = 0, b1 = 0;
        double objective = objective(genuine, impostor, genuineWeight, impostorWeight, ridge, b0, b1);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] gh = new double[5]; // gradient (g0, g1), Hessian (h00, h01, h11)
            accumulate(genuine, 1, genuineWeight, b0, b1, gh);
            accumulate(impostor, 0, impostorWeight, b0, b1, gh);
            gh[1] += ridge * b1;
            gh[4] += ridge;
            double det = gh[2] * gh[4] - gh[3] * gh[3];
            double step0 = -(gh[4] * gh[0] - gh[3] * gh[1]) / det;
            double step1 = -(gh[2] * gh[1] - gh[3] * gh[0]) / det;
            if (!Double.isFinite(step0) || !Double.isFinite(step1)) break;
            // halve the Newton step until the objective does not get worse
            double scale = 1, next = Double.NaN;
            for (int halving = 0; halving < 60; halving++, scale /= 2) {
                next = objective(genuine, impostor, genuineWeight, impostorWeight, ridge, b0 + scale * step0, b1 + scale * step1);
                if (next <= objective) break;
            }
            if (!(next <= objective)) break;
            b0 += scale * step0;
            b1 += scale * step1;
            double change = Math.max(Math.abs(scale * step0), Math.abs(scale * step1));
            objective = next;
            if (change < 1e-10 * (1 + Math.abs(b0) + Math.abs(b1))) break;
        }
        return new Logistic(b0, b1);
    }

    private static void accumulate(double[] distances, int label, double weight, double b0, double b1, double[] gh) {
        for (double d : distances) {
            double p = 1 / (1 + Math.exp(-(b0 + b1 * d)));
            double residual = weight * (p - label);
            double curvature = weight * p * (1 - p);
            gh[0] += residual;
            gh[1] += residual * d;
            gh[2] += curvature;
            gh[3] += curvature * d;
            gh[4] += curvature * d * d;
        }
    }

    /** Weighted negative log-likelihood plus the slope penalty, computed without overflow. */
    private static double objective(double[] genuine, double[] impostor, double wg, double wi, double ridge,
                                    double b0, double b1) {
        double sum = 0;
        for (double d : genuine) sum += wg * softplus(-(b0 + b1 * d));
        for (double d : impostor) sum += wi * softplus(b0 + b1 * d);
        return sum + 0.5 * ridge * b1 * b1;
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static void requireDistances(double[] distances, String what) {
        if (distances.length == 0) throw new IllegalArgumentException("no " + what + " distances");
        for (double d : distances)
            if (!(d >= 0) || Double.isInfinite(d))
                throw new IllegalArgumentException(what + " distance " + d + " is not a finite non-negative number");
    }
}
