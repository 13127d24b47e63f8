package doorman.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LivenessMetricsTest {

    @Test
    void apcerAndBpcerAtTheThreshold() {
        double[] live = {0.9, 0.8, 0.7, 0.3};
        double[] attacks = {0.1, 0.2, 0.75, 0.05};
        LivenessMetrics m = LivenessMetrics.of(live, attacks, 0.5);
        assertEquals(0.25, m.apcer(), 1e-12, "one attack of four scores at least 0.5");
        assertEquals(0.25, m.bpcer(), 1e-12, "one live face of four scores below 0.5");
        // (live, attack) pairs with the live face scoring higher: 14 of 16
        assertEquals(14 / 16.0, m.auc(), 1e-12);
    }

    @Test
    void operatingPointRejectsAtMostTheTargetShareOfLiveFaces() {
        double[] live = new double[100];
        for (int i = 0; i < 100; i++) live[i] = 0.5 + i / 200.0; // 0.5 .. 0.995
        double[] attacks = {0.1, 0.52, 0.56, 0.9};
        LivenessMetrics.OperatingPoint p5 = LivenessMetrics.atBpcer(live, attacks, 0.05);
        assertEquals(0.525, p5.threshold(), 1e-12, "the 6th lowest live score: five live faces fall below it");
        assertEquals(0.05, p5.bpcer(), 1e-12);
        assertEquals(0.5, p5.apcer(), 1e-12, "0.56 and 0.9 get through");
        LivenessMetrics.OperatingPoint p1 = LivenessMetrics.atBpcer(live, attacks, 0.01);
        assertEquals(0.01, p1.bpcer(), 1e-12);
        assertEquals(0.75, p1.apcer(), 1e-12);
    }

    @Test
    void perfectSeparation() {
        LivenessMetrics m = LivenessMetrics.of(new double[] {0.9, 0.95}, new double[] {0.1, 0.2}, 0.5);
        assertEquals(1.0, m.auc(), 1e-12);
        assertEquals(0.0, m.apcer());
        assertEquals(0.0, m.bpcer());
        assertEquals(0.0, m.atBpcer5().apcer());
    }
}
