package doorman.train;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analytic gradient of FC + L2 norm + triplet loss against central finite differences, in double. */
class TripletLossGradientTest {

    private static final int IN = 7, OUT = 4;

    @Test
    void batchHardGradientMatchesFiniteDifferences() {
        checkGradient(Mining.BATCH_HARD);
    }

    @Test
    void semiHardGradientMatchesFiniteDifferences() {
        checkGradient(Mining.SEMI_HARD);
    }

    private static void checkGradient(Mining mining) {
        Random random = new Random(42);
        // three people with three images each plus one single-image person: a negative only
        int[] labels = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3};
        double[][] x = new double[labels.length][IN];
        for (double[] row : x) for (int i = 0; i < IN; i++) row[i] = random.nextGaussian();
        double[] w = new double[OUT * IN], b = new double[OUT];
        for (int i = 0; i < w.length; i++) w[i] = random.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = 0.3 * random.nextGaussian();

        try (RowRunner rows = new RowRunner(1)) {
            // a wide margin keeps most triplets active, so most of the gradient path is exercised
            TripletLoss loss = new TripletLoss(IN, OUT, mining, 1.0, rows);
            double[] gradW = new double[w.length], gradB = new double[b.length];
            TripletLoss.Result result = loss.compute(w, b, x, labels, gradW, gradB);
            assertTrue(result.active() > 0, "some triplets must be active");

            double h = 1e-6;
            double worst = 0;
            for (int i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(gradW[i] - numeric(loss, w, i, h, w, b, x, labels)));
            for (int i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(gradB[i] - numeric(loss, b, i, h, w, b, x, labels)));
            double scale = 0;
            for (double g : gradW) scale = Math.max(scale, Math.abs(g));
            assertTrue(scale > 1e-3, "gradient should not vanish on this problem, max |g| = " + scale);
            assertEquals(0, worst, 1e-7, mining + ": analytic vs numeric gradient, worst absolute difference");
        }
    }

    private static double numeric(TripletLoss loss, double[] param, int i, double h,
                                  double[] w, double[] b, double[][] x, int[] labels) {
        double saved = param[i];
        param[i] = saved + h;
        double plus = loss.compute(w, b, x, labels, null, null).loss();
        param[i] = saved - h;
        double minus = loss.compute(w, b, x, labels, null, null).loss();
        param[i] = saved;
        return (plus - minus) / (2 * h);
    }
}
