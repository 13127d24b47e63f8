package doorman.eval;

import java.util.Arrays;

/**
 * Presentation-attack detection figures (ISO/IEC 30107-3 terms) from live-probability scores, higher = more live;
 * a face is called live when its score is at least the threshold. APCER: share of attacks called live. BPCER: share
 * of live faces called attacks. The ROC reuses {@link VerificationMetrics} with live faces as the "same" class and
 * minus the score as the distance, so its FAR is APCER and its TAR is 1 - BPCER.
 */
public record LivenessMetrics(int live, int attacks, double threshold, double apcer, double bpcer, double auc,
                              OperatingPoint atBpcer1, OperatingPoint atBpcer5, VerificationMetrics roc) {

    /** The highest threshold whose BPCER stays within {@code targetBpcer}, and the APCER it gives. */
    public record OperatingPoint(double targetBpcer, double threshold, double bpcer, double apcer) {}

    public static LivenessMetrics of(double[] liveScores, double[] attackScores, double threshold) {
        if (liveScores.length == 0 || attackScores.length == 0)
            throw new IllegalArgumentException("need live and attack faces, got " + liveScores.length + " and " + attackScores.length);
        double[] distances = new double[liveScores.length + attackScores.length];
        boolean[] isLive = new boolean[distances.length];
        for (int i = 0; i < liveScores.length; i++) {
            distances[i] = -liveScores[i];
            isLive[i] = true;
        }
        for (int i = 0; i < attackScores.length; i++) distances[liveScores.length + i] = -attackScores[i];
        VerificationMetrics roc = VerificationMetrics.of(distances, isLive, new int[distances.length]);
        return new LivenessMetrics(liveScores.length, attackScores.length, threshold,
                shareAtLeast(attackScores, threshold), 1 - shareAtLeast(liveScores, threshold), roc.auc(),
                atBpcer(liveScores, attackScores, 0.01), atBpcer(liveScores, attackScores, 0.05), roc);
    }

    /**
     * The operating point at a target BPCER: the threshold is a live score itself, the highest one that rejects at
     * most {@code targetBpcer} of the live faces (every live face scoring below it is rejected).
     */
    public static OperatingPoint atBpcer(double[] liveScores, double[] attackScores, double targetBpcer) {
        double[] sorted = liveScores.clone();
        Arrays.sort(sorted);
        int mayReject = (int) Math.floor(targetBpcer * sorted.length + 1e-9);
        double threshold = sorted[Math.min(mayReject, sorted.length - 1)];
        return new OperatingPoint(targetBpcer, threshold, 1 - shareAtLeast(liveScores, threshold),
                shareAtLeast(attackScores, threshold));
    }

    static double shareAtLeast(double[] scores, double threshold) {
        int n = 0;
        for (double s : scores) if (s >= threshold) n++;
        return (double) n / scores.length;
    }
}
