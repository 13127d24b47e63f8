package doorman.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * How well pair distances separate same-person from different-person pairs. A pair is accepted when its distance is
 * at most the threshold (smaller distance = more likely the same person).
 * <p>
 * Accuracy is cross-validated the LFW way: for each fold the threshold that maximises accuracy on the other folds is
 * tested on the held-out fold; mean and sample standard deviation are over folds. When every pair is in one fold (a
 * single-set pairs file) ten stratified folds are made with a fixed seed and {@code foldsGenerated} says so.
 * <p>
 * The ROC lists the corners of the empirical curve (points inside straight horizontal or vertical runs are dropped).
 * TAR at a target FAR is read as a step function: the best TAR of any threshold whose FAR does not exceed the target.
 * No line is drawn between ROC points there, because that would claim a TAR that no threshold achieves. When there
 * are fewer than 1/FAR impostor pairs the target cannot be resolved: the operating point is marked not estimable and
 * its TAR and threshold are NaN.
 */
public record VerificationMetrics(int genuinePairs, int impostorPairs, int folds, boolean foldsGenerated,
                                  List<Double> foldAccuracies, double accuracyMean, double accuracyStd,
                                  double bestThreshold, double bestAccuracy, double auc, double eer,
                                  double eerThreshold, OperatingPoint tarAtFar1e2, OperatingPoint tarAtFar1e3,
                                  List<RocPoint> roc) {

    /** Folds made for single-set files; fixed so reruns give the same figure. */
    public static final int GENERATED_FOLDS = 10;
    private static final long FOLD_SEED = 0x5EED_F01DL;

    /** One corner of the ROC: accepting distances up to {@code threshold} gives this FAR and TAR. */
    public record RocPoint(double far, double tar, double threshold) {
    }

    /** TAR at a target FAR, the threshold that achieves it and its actual FAR; NaNs when not estimable. */
    public record OperatingPoint(double targetFar, double tar, double threshold, double actualFar, boolean estimable) {
    }

    public VerificationMetrics {
        foldAccuracies = List.copyOf(foldAccuracies);
        roc = List.copyOf(roc);
    }

    public static VerificationMetrics of(double[] distances, boolean[] same, int[] folds) {
        int n = distances.length;
        if (same.length != n || folds.length != n)
            throw new IllegalArgumentException("arrays differ in length: " + n + " distances, " + same.length
                    + " labels, " + folds.length + " folds");
        int genuine = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(distances[i]))
                throw new IllegalArgumentException("distance " + i + " is not finite: " + distances[i]);
            if (same[i]) genuine++;
        }
        int impostors = n - genuine;
        if (genuine == 0 || impostors == 0)
            throw new IllegalArgumentException("need at least one same-person and one different-person pair, got "
                    + genuine + " and " + impostors);

        // sorted once: every subset below is a filter of this order, so it stays sorted
        int[] order = sortedByDistance(distances);
        boolean generate = Arrays.stream(folds).distinct().count() == 1;
        int[] foldOf = generate ? stratifiedFolds(same) : folds;
        List<Double> foldAccuracies = crossValidate(distances, same, foldOf, order);
        double mean = foldAccuracies.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double var = foldAccuracies.stream().mapToDouble(a -> (a - mean) * (a - mean)).sum()
                / Math.max(1, foldAccuracies.size() - 1);

        double[] best = bestThreshold(distances, same, order);
        List<RocPoint> roc = roc(distances, same, order);
        double[] eer = eer(roc);
        return new VerificationMetrics(genuine, impostors, foldAccuracies.size(), generate, foldAccuracies, mean,
                Math.sqrt(var), best[0], best[1], auc(distances, same, order), eer[0], eer[1],
                atFar(roc, 1e-2, impostors), atFar(roc, 1e-3, impostors), roc);
    }

    /** The operating point for any target FAR, read from this ROC. */
    public OperatingPoint atFar(double targetFar) {
        return atFar(roc, targetFar, impostorPairs);
    }

    static int[] stratifiedFolds(boolean[] same) {
        Random random = new Random(FOLD_SEED);
        int[] fold = new int[same.length];
        for (boolean label : new boolean[]{true, false}) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < same.length; i++) if (same[i] == label) members.add(i);
            Collections.shuffle(members, random);
            for (int k = 0; k < members.size(); k++) fold[members.get(k)] = k % GENERATED_FOLDS;
        }
        return fold;
    }

    private static List<Double> crossValidate(double[] d, boolean[] same, int[] fold, int[] order) {
        int[] ids = Arrays.stream(fold).distinct().sorted().toArray();
        List<Double> accuracies = new ArrayList<>();
        for (int held : ids) {
            int[] train = Arrays.stream(order).filter(i -> fold[i] != held).toArray();
            int[] test = Arrays.stream(order).filter(i -> fold[i] == held).toArray();
            double threshold = bestThreshold(d, same, train)[0];
            int correct = 0;
            for (int i : test) if ((d[i] <= threshold) == same[i]) correct++;
            accuracies.add((double) correct / test.length);
        }
        return accuracies;
    }

    /**
     * {threshold, accuracy} maximising accuracy over the pairs in {@code order} (sorted by distance). Of a run of
     * equally good cuts the middle is taken, and each cut lies halfway between neighbouring distances, so held-out
     * pairs are not decided by an edge.
     */
    static double[] bestThreshold(double[] d, boolean[] same, int[] order) {
        int m = order.length;
        int impostors = 0;
        for (int i : order) if (!same[i]) impostors++;
        // cut k accepts the first k pairs of the sorted order; only cuts between distinct distances are possible
        int acceptedGenuine = 0;
        int acceptedImpostors = 0;
        int bestCorrect = impostors;
        int firstBest = 0;
        int lastBest = 0;
        boolean inRun = true;
        for (int k = 1; k <= m; k++) {
            int idx = order[k - 1];
            if (same[idx]) acceptedGenuine++;
            else acceptedImpostors++;
            if (k < m && d[order[k]] == d[idx]) continue;
            int correct = acceptedGenuine + impostors - acceptedImpostors;
            if (correct > bestCorrect) {
                bestCorrect = correct;
                firstBest = k;
                lastBest = k;
                inRun = true;
            } else if (correct == bestCorrect && inRun) {
                lastBest = k;
            } else {
                inRun = false;
            }
        }
        double threshold = (cut(d, order, firstBest) + cut(d, order, lastBest)) / 2;
        return new double[]{threshold, m == 0 ? Double.NaN : (double) bestCorrect / m};
    }

    /** A threshold accepting exactly the first k pairs of {@code order} (k at a boundary between distinct distances). */
    private static double cut(double[] d, int[] order, int k) {
        if (k == 0) return Math.nextDown(d[order[0]]);
        double below = d[order[k - 1]];
        if (k == order.length) return below;
        double mid = below + (d[order[k]] - below) / 2;
        return mid < d[order[k]] ? mid : below;
    }

    static int[] sortedByDistance(double[] d) {
        Integer[] order = IntStream.range(0, d.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> d[i]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** Empirical ROC corners from (0,0) to (1,1); tied distances make one diagonal step. */
    static List<RocPoint> roc(double[] d, boolean[] same, int[] order) {
        int genuine = 0;
        for (boolean s : same) if (s) genuine++;
        int impostors = d.length - genuine;
        List<RocPoint> points = new ArrayList<>();
        points.add(new RocPoint(0, 0, cut(d, order, 0)));
        int g = 0;
        int f = 0;
        for (int k = 1; k <= order.length; k++) {
            if (same[order[k - 1]]) g++;
            else f++;
            if (k < order.length && d[order[k]] == d[order[k - 1]]) continue;
            addCorner(points, new RocPoint((double) f / impostors, (double) g / genuine, cut(d, order, k)));
        }
        return points;
    }

    /** Appends p, first dropping the last point when it sits inside a straight horizontal or vertical run. */
    private static void addCorner(List<RocPoint> points, RocPoint p) {
        int n = points.size();
        if (n >= 2) {
            RocPoint a = points.get(n - 2);
            RocPoint b = points.get(n - 1);
            boolean horizontal = a.tar() == b.tar() && b.tar() == p.tar();
            boolean vertical = a.far() == b.far() && b.far() == p.far();
            if (horizontal || vertical) points.remove(n - 1);
        }
        points.add(p);
    }

    /** Mann-Whitney: the chance a genuine pair is closer than an impostor pair, ties counting half. */
    static double auc(double[] d, boolean[] same, int[] order) {
        double impostorRankSum = 0;
        long impostors = 0;
        int k = 0;
        while (k < order.length) {
            int end = k;
            while (end + 1 < order.length && d[order[end + 1]] == d[order[k]]) end++;
            double midRank = (k + end) / 2.0 + 1; // 1-based ranks, ties share their mean
            for (int t = k; t <= end; t++) {
                if (!same[order[t]]) {
                    impostorRankSum += midRank;
                    impostors++;
                }
            }
            k = end + 1;
        }
        long genuine = d.length - impostors;
        double u = impostorRankSum - impostors * (impostors + 1) / 2.0;
        return u / ((double) genuine * impostors);
    }

    /** {eer, threshold}: where FAR meets FRR (= 1 - TAR) along the ROC, interpolated inside the crossing segment. */
    private static double[] eer(List<RocPoint> roc) {
        for (int k = 1; k < roc.size(); k++) {
            RocPoint a = roc.get(k - 1);
            RocPoint b = roc.get(k);
            double ha = a.far() + a.tar() - 1;
            double hb = b.far() + b.tar() - 1;
            if (hb < 0) continue;
            double t = ha == hb ? 0 : -ha / (hb - ha);
            double far = a.far() + t * (b.far() - a.far());
            return new double[]{far, t < 0.5 ? a.threshold() : b.threshold()};
        }
        throw new IllegalStateException("ROC does not reach (1,1)");
    }

    private static OperatingPoint atFar(List<RocPoint> roc, double targetFar, int impostors) {
        if (!(targetFar > 0 && targetFar <= 1)) throw new IllegalArgumentException("FAR must be in (0,1], got " + targetFar);
        // k/n <= targetFar in whole numbers, so 1 of 1000 is exactly 1e-3 despite rounding
        long allowed = (long) Math.floor(targetFar * impostors + 1e-9);
        if (allowed < 1) return new OperatingPoint(targetFar, Double.NaN, Double.NaN, Double.NaN, false);
        RocPoint best = roc.get(0);
        for (RocPoint p : roc) {
            if (Math.round(p.far() * impostors) > allowed) break;
            best = p;
        }
        return new OperatingPoint(targetFar, best.tar(), best.threshold(), best.far(), true);
    }
}
