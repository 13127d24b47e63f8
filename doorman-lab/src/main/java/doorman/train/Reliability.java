package doorman.train;

import doorman.match.Calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a calibration's P(same) matches reality on held-out pairs: ten equal-width bins of the predicted
 * probability, each with its mean prediction and the share of pairs in it that really were the same person,
 * plus the Brier score (mean squared error of the probability) and the expected calibration error (bin gap
 * weighted by bin size). The fit weights both classes equally, so read these on a balanced pair set.
 *
 * @param bins  ten bins, [0, 0.1) ... [0.9, 1.0]; an empty bin has NaN means
 * @param pairs how many pairs were scored
 */
public record Reliability(List<Bin> bins, double brierScore, double expectedCalibrationError, int pairs) {

    public static final int BINS = 10;

    public record Bin(double lower, double upper, int count, double meanPredicted, double observedFrequency) {
    }

    public Reliability {
        bins = List.copyOf(bins);
    }

    public static Reliability of(Calibration calibration, double[] genuine, double[] impostor) {
        int total = genuine.length + impostor.length;
        if (total == 0) throw new IllegalArgumentException("no pairs to score");
        double[] predictedSum = new double[BINS];
        int[] counts = new int[BINS], same = new int[BINS];
        double brier = 0;
        for (int k = 0; k < total; k++) {
            boolean isGenuine = k < genuine.length;
            double d = isGenuine ? genuine[k] : impostor[k - genuine.length];
            double p = calibration.probabilitySame(d);
            int bin = Math.min(BINS - 1, (int) (p * BINS));
            predictedSum[bin] += p;
            counts[bin]++;
            if (isGenuine) same[bin]++;
            double error = p - (isGenuine ? 1 : 0);
            brier += error * error;
        }
        List<Bin> bins = new ArrayList<>(BINS);
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            double mean = counts[b] == 0 ? Double.NaN : predictedSum[b] / counts[b];
            double observed = counts[b] == 0 ? Double.NaN : (double) same[b] / counts[b];
            bins.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, counts[b], mean, observed));
            if (counts[b] > 0) ece += (double) counts[b] / total * Math.abs(mean - observed);
        }
        return new Reliability(bins, brier / total, ece, total);
    }

    /** A plain-text table for the command line. */
    public String table() {
        StringBuilder s = new StringBuilder("P(same) bin   pairs  predicted  observed\n");
        for (Bin b : bins)
            s.append(String.format(java.util.Locale.ROOT, "%.1f-%.1f   %7d  %9s  %8s%n", b.lower(), b.upper(), b.count(),
                    format(b.meanPredicted()), format(b.observedFrequency())));
        s.append(String.format(java.util.Locale.ROOT, "Brier %.4f   ECE %.4f   (%d pairs)%n",
                brierScore, expectedCalibrationError, pairs));
        return s.toString();
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
