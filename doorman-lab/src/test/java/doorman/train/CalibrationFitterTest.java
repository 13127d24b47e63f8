package doorman.train;

import doorman.match.Calibration;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationFitterTest {

    // genuine distances ~ N(0.6, 0.25), impostor ~ N(1.4, 0.25): with equal priors the true log-odds are
    // linear in d, slope (0.6 - 1.4) / 0.25^2 = -12.8 and intercept (1.4^2 - 0.6^2) / (2 * 0.25^2) = 12.8
    private static final double MEAN_GENUINE = 0.6, MEAN_IMPOSTOR = 1.4, SPREAD = 0.25;

    @Test
    void recoversTheTrueLogisticUnitAndMeetsTheFarTarget() {
        double[] genuine = gaussian(MEAN_GENUINE, 20000, 1), impostor = gaussian(MEAN_IMPOSTOR, 20000, 2);
        Calibration c = CalibrationFitter.fit("mobilefacenet-128", genuine, impostor, 1e-3);

        double trueSlope = (MEAN_GENUINE - MEAN_IMPOSTOR) / (SPREAD * SPREAD);
        assertEquals(trueSlope, c.slope(), 0.03 * Math.abs(trueSlope));
        assertEquals(-trueSlope, c.intercept(), 0.03 * Math.abs(trueSlope));

        // exactly floor(1e-3 * 20000) = 20 impostors fall at or below the accept distance; one more just above it
        assertEquals(20, countAtMost(impostor, c.acceptDistance()));
        assertEquals(21, countAtMost(impostor, Math.nextUp(c.acceptDistance())));
        assertEquals(MEAN_IMPOSTOR - 3.09 * SPREAD, c.acceptDistance(), 0.05, "the 0.1% quantile of the impostors");

        assertEquals(CalibrationFitter.UNKNOWN_PROBABILITY, c.probabilitySame(c.unknownDistance()), 1e-9);
        assertTrue(c.unknownDistance() > c.acceptDistance());
        assertEquals("mobilefacenet-128", c.encoder());
        assertEquals(1e-3, c.targetFar());
    }

    @Test
    void unknownDistanceNeverFallsBelowALooseAcceptDistance() {
        double[] genuine = gaussian(MEAN_GENUINE, 5000, 3), impostor = gaussian(MEAN_IMPOSTOR, 5000, 4);
        Calibration c = CalibrationFitter.fit("enc", genuine, impostor, 0.45);
        assertTrue(c.probabilitySame(c.acceptDistance()) < CalibrationFitter.UNKNOWN_PROBABILITY);
        assertEquals(c.acceptDistance(), c.unknownDistance());
    }

    @Test
    void separableClassesStillGiveAFiniteSteepSlope() {
        Random random = new Random(5);
        double[] genuine = new double[2000], impostor = new double[2000];
        for (int i = 0; i < 2000; i++) {
            genuine[i] = 0.2 + 0.3 * random.nextDouble();
            impostor[i] = 0.9 + 0.7 * random.nextDouble();
        }
        CalibrationFitter.Logistic l = CalibrationFitter.fitLogistic(genuine, impostor);
        assertTrue(Double.isFinite(l.slope()) && l.slope() < -20, "slope " + l.slope());
        assertTrue(l.probability(0.5) > 0.99 && l.probability(0.9) < 0.01, l.toString());
        double boundary = -l.intercept() / l.slope();
        assertTrue(boundary > 0.5 && boundary < 0.9, "P(same) = 0.5 inside the gap, at " + boundary);
    }

    @Test
    void refusesDataThatCannotSupportACalibration() {
        double[] genuine = gaussian(MEAN_GENUINE, 500, 6), impostor = gaussian(MEAN_IMPOSTOR, 500, 7);
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> CalibrationFitter.fit("enc", genuine, impostor, 1e-3));
        assertTrue(few.getMessage().contains("needs at least 1000 impostor pairs"), few.getMessage());

        IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
                () -> CalibrationFitter.fit("enc", impostor, genuine, 0.01));
        assertTrue(swapped.getMessage().contains("not closer"), swapped.getMessage());

        assertThrows(IllegalArgumentException.class, () -> CalibrationFitter.fitLogistic(new double[]{Double.NaN}, impostor));
        assertThrows(IllegalArgumentException.class, () -> CalibrationFitter.acceptDistance(impostor, 0));
    }

    @Test
    void reliabilityOfAWellFittedUnitOnHeldOutPairs() {
        Calibration c = CalibrationFitter.fit("enc", gaussian(MEAN_GENUINE, 20000, 8), gaussian(MEAN_IMPOSTOR, 20000, 9), 1e-3);
        double[] genuine = gaussian(MEAN_GENUINE, 10000, 10), impostor = gaussian(MEAN_IMPOSTOR, 10000, 11);
        Reliability r = Reliability.of(c, genuine, impostor);
        System.out.print(r.table());
        assertEquals(Reliability.BINS, r.bins().size());
        assertEquals(20000, r.bins().stream().mapToInt(Reliability.Bin::count).sum());
        assertEquals(20000, r.pairs());
        assertTrue(r.expectedCalibrationError() < 0.02, "ECE " + r.expectedCalibrationError());
        assertTrue(r.brierScore() < 0.06, "Brier " + r.brierScore());
        for (Reliability.Bin b : r.bins())
            if (b.count() > 0) assertTrue(b.meanPredicted() >= b.lower() && b.meanPredicted() <= b.upper(), b.toString());
    }

    @Test
    void reliabilityArithmeticOnAHandExample() {
        // slope -1, intercept 0: P(same) = sigmoid(-d); at d = 0 it is 0.5, at d = ln 3 it is 0.25
        Calibration c = new Calibration("enc", -1, 0, 0.1, 0.2, 0.01);
        Reliability r = Reliability.of(c, new double[]{0, Math.log(3)}, new double[]{Math.log(3)});
        assertEquals((0.25 + 0.75 * 0.75 + 0.25 * 0.25) / 3, r.brierScore(), 1e-12);
        Reliability.Bin quarter = r.bins().get(2), half = r.bins().get(5);
        assertEquals(2, quarter.count());
        assertEquals(0.25, quarter.meanPredicted(), 1e-12);
        assertEquals(0.5, quarter.observedFrequency(), 1e-12);
        assertEquals(1, half.count());
        assertEquals(1.0, half.observedFrequency(), 1e-12);
        assertEquals((2 * 0.25 + 1 * 0.5) / 3, r.expectedCalibrationError(), 1e-12);
        assertTrue(Double.isNaN(r.bins().get(0).meanPredicted()), "empty bins have no mean");
    }

    private static double[] gaussian(double mean, int n, long seed) {
        Random random = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = Math.max(0, mean + SPREAD * random.nextGaussian());
        return d;
    }

    private static int countAtMost(double[] values, double threshold) {
        int n = 0;
        for (double v : values) if (v <= threshold) n++;
        return n;
    }
}
