package doorman.eval;

import doorman.eval.VerificationMetrics.OperatingPoint;
import doorman.eval.VerificationMetrics.RocPoint;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerificationMetricsTest {

    private static final double EPS = 1e-12;

    /** Sorted: 0.1 G, 0.3 I, 0.35 G, 0.4 G, 0.8 I, 0.9 I. */
    @Test
    void tinyExampleByHand() {
        double[] d = {0.1, 0.4, 0.35, 0.3, 0.8, 0.9};
        boolean[] same = {true, true, true, false, false, false};
        VerificationMetrics m = VerificationMetrics.of(d, same, new int[6]);

        assertEquals(3, m.genuinePairs());
        assertEquals(3, m.impostorPairs());
        // genuine closer than impostor in 3 + 2 + 2 of 9 combinations
        assertEquals(7.0 / 9, m.auc(), EPS);
        List<RocPoint> roc = m.roc();
        assertEquals(5, roc.size(), roc.toString());
        assertPoint(roc.get(0), 0, 0);
        assertPoint(roc.get(1), 0, 1.0 / 3);
        assertPoint(roc.get(2), 1.0 / 3, 1.0 / 3);
        assertPoint(roc.get(3), 1.0 / 3, 1);
        assertPoint(roc.get(4), 1, 1);
        assertEquals(0.2, roc.get(1).threshold(), EPS, "halfway between 0.1 and 0.3");
        assertEquals(0.6, roc.get(3).threshold(), EPS, "halfway between 0.4 and 0.8");
        // FAR stays 1/3 while FRR falls from 2/3 to 0: they meet at 1/3
        assertEquals(1.0 / 3, m.eer(), EPS);
        // best cut accepts 0.1, 0.3, 0.35, 0.4: 5 of 6 right
        assertEquals(0.6, m.bestThreshold(), EPS);
        assertEquals(5.0 / 6, m.bestAccuracy(), EPS);
        // one fold and six pairs: stratified folds are made, three of them non-empty
        assertTrue(m.foldsGenerated());
        assertEquals(3, m.folds());
        // three impostors cannot resolve FAR 1e-2 or 1e-3
        assertNotEstimable(m.tarAtFar1e2());
        assertNotEstimable(m.tarAtFar1e3());
        OperatingPoint third = m.atFar(0.34);
        assertTrue(third.estimable());
        assertEquals(1, third.tar(), EPS);
        assertEquals(0.6, third.threshold(), EPS);
        assertEquals(1.0 / 3, third.actualFar(), EPS);
        assertNotEstimable(m.atFar(0.3));
    }

    @Test
    void crossValidatesOnGivenFolds() {
        double[] d = {0.1, 0.2, 0.5, 0.6, 0.3, 0.35, 0.7, 0.8};
        boolean[] same = {true, true, false, false, true, false, true, false};
        int[] folds = {0, 0, 0, 0, 1, 1, 1, 1};
        VerificationMetrics m = VerificationMetrics.of(d, same, folds);
        // fold 1 alone picks 0.325 (between 0.3 G and 0.35 I): fold 0 all right.
        // fold 0 alone picks 0.35 (between 0.2 G and 0.5 I): on fold 1 the 0.35 impostor and 0.7 genuine are wrong.
        assertFalse(m.foldsGenerated());
        assertEquals(2, m.folds());
        assertEquals(List.of(1.0, 0.5), m.foldAccuracies());
        assertEquals(0.75, m.accuracyMean(), EPS);
        assertEquals(Math.sqrt(0.125), m.accuracyStd(), EPS);
    }

    @Test
    void perfectSeparation() {
        int n = 500;
        double[] d = new double[2 * n];
        boolean[] same = new boolean[2 * n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            d[i] = r.nextDouble();
            same[i] = true;
            d[n + i] = 2 + r.nextDouble();
        }
        VerificationMetrics m = VerificationMetrics.of(d, same, new int[2 * n]);
        assertEquals(1, m.auc(), EPS);
        assertEquals(0, m.eer(), EPS);
        assertEquals(1, m.accuracyMean(), EPS);
        assertEquals(0, m.accuracyStd(), EPS);
        assertEquals(10, m.folds());
        assertTrue(m.bestThreshold() > 1 && m.bestThreshold() < 2, "threshold in the gap: " + m.bestThreshold());
        assertTrue(m.eerThreshold() > 1 && m.eerThreshold() < 2, "EER threshold in the gap: " + m.eerThreshold());
        assertEquals(1, m.tarAtFar1e2().tar(), EPS);
        assertEquals(0, m.tarAtFar1e2().actualFar(), EPS);
        assertNotEstimable(m.tarAtFar1e3());
        assertEquals(List.of(0.0, 0.0, 1.0), m.roc().stream().map(RocPoint::far).toList());
    }

    @Test
    void randomScoresAreChance() {
        Random r = new Random(42);
        int n = 4000;
        double[] d = new double[n];
        boolean[] same = new boolean[n];
        int[] folds = new int[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextDouble();
            same[i] = i % 2 == 0;
            folds[i] = (i / 2) % 10; // both classes in every fold
        }
        VerificationMetrics m = VerificationMetrics.of(d, same, folds);
        assertEquals(0.5, m.auc(), 0.03);
        assertEquals(0.5, m.eer(), 0.04);
        assertEquals(0.5, m.accuracyMean(), 0.05);
        assertEquals(0.01, m.tarAtFar1e2().tar(), 0.02);
        assertTrue(m.tarAtFar1e3().estimable(), "2000 impostors resolve 1e-3");
    }

    /** 1000 impostors at distances 1..1000; genuine: 50 at 0.5, 50 at 1.5, 100 at 5.5, 800 at 2000. */
    @Test
    void tarAtFarIsAStepNotALine() {
        int impostors = 1000;
        double[] d = new double[2000];
        boolean[] same = new boolean[2000];
        for (int i = 0; i < impostors; i++) d[i] = i + 1;
        for (int i = 0; i < 1000; i++) {
            same[impostors + i] = true;
            d[impostors + i] = i < 50 ? 0.5 : i < 100 ? 1.5 : i < 200 ? 5.5 : 2000;
        }
        VerificationMetrics m = VerificationMetrics.of(d, same, new int[2000]);
        OperatingPoint p3 = m.tarAtFar1e3();
        assertTrue(p3.estimable());
        assertEquals(0.1, p3.tar(), EPS, "one impostor allowed: threshold between 1.5 and 2");
        assertEquals(1.75, p3.threshold(), EPS);
        assertEquals(1e-3, p3.actualFar(), EPS);
        // ten impostors allowed: 5.5 is accepted (5 impostors), nothing more until 2000
        assertEquals(0.2, m.tarAtFar1e2().tar(), EPS);
        assertEquals(0.005, m.tarAtFar1e2().actualFar(), EPS);
        assertEquals(0.2, m.atFar(0.5).tar(), EPS, "a line to (1,1) would claim more at FAR 0.5");

        // 999 impostors cannot resolve 1e-3
        double[] fewer = Arrays.copyOfRange(d, 1, 2000);
        boolean[] fewerSame = Arrays.copyOfRange(same, 1, 2000);
        VerificationMetrics m2 = VerificationMetrics.of(fewer, fewerSame, new int[1999]);
        assertNotEstimable(m2.tarAtFar1e3());
        assertTrue(m2.tarAtFar1e2().estimable());
    }

    @Test
    void tiesMakeDiagonalStepsAndHalfCreditInAuc() {
        double[] d = {1, 1, 1, 1};
        boolean[] same = {true, false, true, false};
        VerificationMetrics m = VerificationMetrics.of(d, same, new int[]{0, 0, 1, 1});
        assertEquals(0.5, m.auc(), EPS);
        assertEquals(0.5, m.eer(), EPS);
        assertEquals(2, m.roc().size());
        assertPoint(m.roc().get(1), 1, 1);
    }

    @Test
    void aucEqualsAreaUnderTheRocWithTies() {
        Random r = new Random(5);
        int n = 3000;
        double[] d = new double[n];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = r.nextInt(3) == 0;
            // coarse distances so many pairs tie
            d[i] = Math.round((same[i] ? 0.8 : 1.2) * 10 + r.nextGaussian() * 3) / 10.0;
        }
        VerificationMetrics m = VerificationMetrics.of(d, same, new int[n]);
        double area = 0;
        List<RocPoint> roc = m.roc();
        for (int k = 1; k < roc.size(); k++)
            area += (roc.get(k).far() - roc.get(k - 1).far()) * (roc.get(k).tar() + roc.get(k - 1).tar()) / 2;
        assertEquals(area, m.auc(), 1e-9);
        assertTrue(m.auc() > 0.75 && m.auc() < 0.95, "AUC " + m.auc());
        for (int k = 1; k < roc.size(); k++) {
            assertTrue(roc.get(k).far() >= roc.get(k - 1).far() && roc.get(k).tar() >= roc.get(k - 1).tar());
            assertTrue(roc.get(k).threshold() > roc.get(k - 1).threshold());
        }
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> VerificationMetrics.of(new double[2], new boolean[]{true, false}, new int[1]));
        assertThrows(IllegalArgumentException.class,
                () -> VerificationMetrics.of(new double[]{0.1, Double.NaN}, new boolean[]{true, false}, new int[2]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VerificationMetrics.of(new double[]{0.1, 0.2}, new boolean[]{true, true}, new int[2]));
        assertTrue(e.getMessage().contains("one different-person pair"), e.getMessage());
    }

    private static void assertPoint(RocPoint p, double far, double tar) {
        assertEquals(far, p.far(), EPS, p.toString());
        assertEquals(tar, p.tar(), EPS, p.toString());
    }

    private static void assertNotEstimable(OperatingPoint p) {
        assertFalse(p.estimable());
        assertTrue(Double.isNaN(p.tar()) && Double.isNaN(p.threshold()));
    }
}
