package doorman.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One embedder's verification result on a list of pairs. Pairs where an image is missing or had no usable face are
 * left out of {@code metrics}; when several embedders run together a pair is left out if any of them failed on it,
 * so their figures stay comparable.
 */
public record EvalReport(String embedder, int dimension, VerificationMetrics metrics, int pairsTotal, int pairsUsed,
                         List<Path> detectionFailures, List<Path> missingImages, int imagesEmbedded, double seconds) {

    private static final int LISTED_FAILURES = 20;

    public EvalReport {
        detectionFailures = List.copyOf(detectionFailures);
        missingImages = List.copyOf(missingImages);
    }

    public int pairsExcluded() {
        return pairsTotal - pairsUsed;
    }

    public String toHumanText() {
        VerificationMetrics m = metrics;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s (%d-d): %d pairs, %d used, %d excluded (%d images without a face, %d missing)%n",
                embedder, dimension, pairsTotal, pairsUsed, pairsExcluded(), detectionFailures.size(), missingImages.size()));
        s.append(String.format(Locale.ROOT, "  pairs used       %d same person, %d different%n", m.genuinePairs(), m.impostorPairs()));
        s.append(String.format(Locale.ROOT, "  accuracy         %.2f%% ± %.2f%% over %d folds%s%n", 100 * m.accuracyMean(),
                100 * m.accuracyStd(), m.folds(), m.foldsGenerated() ? " (made here: the file has a single set)" : ""));
        s.append(String.format(Locale.ROOT, "  AUC              %.4f%n", m.auc()));
        s.append(String.format(Locale.ROOT, "  EER              %.2f%% at distance %.4f%n", 100 * m.eer(), m.eerThreshold()));
        s.append(operatingPoint(m.tarAtFar1e2(), m.impostorPairs()));
        s.append(operatingPoint(m.tarAtFar1e3(), m.impostorPairs()));
        s.append(String.format(Locale.ROOT, "  best threshold   %.4f on all pairs (accuracy %.2f%%, optimistic)%n",
                m.bestThreshold(), 100 * m.bestAccuracy()));
        s.append(String.format(Locale.ROOT, "  time             %d images embedded in %.1f s%s%n", imagesEmbedded, seconds,
                seconds > 0 ? String.format(Locale.ROOT, " (%.1f images/s)", imagesEmbedded / seconds) : ""));
        list(s, "images without a face", detectionFailures);
        list(s, "missing images", missingImages);
        return s.toString();
    }

    private static String operatingPoint(VerificationMetrics.OperatingPoint p, int impostors) {
        String far = String.format(Locale.ROOT, "%.0e", p.targetFar());
        if (!p.estimable())
            return String.format(Locale.ROOT, "  TAR @ FAR %-6s n/a: %d different-person pairs cannot resolve it (need %d)%n",
                    far, impostors, (long) Math.ceil(1 / p.targetFar() - 1e-9));
        return String.format(Locale.ROOT, "  TAR @ FAR %-6s %.2f%% at distance %.4f (actual FAR %.2e)%n", far,
                100 * p.tar(), p.threshold(), p.actualFar());
    }

    private static void list(StringBuilder s, String title, List<Path> paths) {
        if (paths.isEmpty()) return;
        s.append("  ").append(title).append(':').append(System.lineSeparator());
        paths.stream().limit(LISTED_FAILURES).forEach(p -> s.append("    ").append(p).append(System.lineSeparator()));
        if (paths.size() > LISTED_FAILURES)
            s.append("    ... and ").append(paths.size() - LISTED_FAILURES).append(" more").append(System.lineSeparator());
    }

    /** Plain values only (NaN becomes null, paths become strings), ready for any Jackson ObjectMapper. */
    public Json toJson() {
        VerificationMetrics m = metrics;
        List<double[]> roc = m.roc().stream().map(p -> new double[]{p.far(), p.tar(), p.threshold()}).toList();
        Metrics metricsJson = new Metrics(m.genuinePairs(), m.impostorPairs(), m.folds(), m.foldsGenerated(),
                m.foldAccuracies(), m.accuracyMean(), m.accuracyStd(), m.auc(), m.eer(), m.eerThreshold(),
                m.bestThreshold(), m.bestAccuracy(), point(m.tarAtFar1e2()), point(m.tarAtFar1e3()), roc);
        return new Json(embedder, dimension, pairsTotal, pairsUsed, pairsExcluded(), imagesEmbedded, seconds,
                detectionFailures.stream().map(Path::toString).toList(),
                missingImages.stream().map(Path::toString).toList(), metricsJson);
    }

    private static Point point(VerificationMetrics.OperatingPoint p) {
        return new Point(p.targetFar(), orNull(p.tar()), orNull(p.threshold()), orNull(p.actualFar()), p.estimable());
    }

    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    public record Json(String embedder, int dimension, int pairsTotal, int pairsUsed, int pairsExcluded,
                       int imagesEmbedded, double seconds, List<String> detectionFailures, List<String> missingImages,
                       Metrics metrics) {
    }

    /** ROC rows are {far, tar, threshold}. */
    public record Metrics(int genuinePairs, int impostorPairs, int folds, boolean foldsGenerated,
                          List<Double> foldAccuracies, double accuracyMean, double accuracyStd, double auc, double eer,
                          double eerThreshold, double bestThreshold, double bestAccuracy, Point tarAtFar1e2,
                          Point tarAtFar1e3, List<double[]> roc) {
    }

    public record Point(double targetFar, Double tar, Double threshold, Double actualFar, boolean estimable) {
    }
}
