package doorman.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VerificationPairsTest {

    @Test
    void bestThresholdAccuracyCountsTiesTogether() {
        // genuine at 0.1, 0.5; impostors at 0.3, 0.9: best threshold 0.1 (or 0.5 then 0.9) gets 3 of 4
        assertEquals(0.75, VerificationPairs.bestThresholdAccuracy(
                new double[]{0.1, 0.5, 0.3, 0.9}, new boolean[]{true, true, false, false}), 1e-12);
        // perfectly separated
        assertEquals(1.0, VerificationPairs.bestThresholdAccuracy(
                new double[]{0.1, 0.2, 0.3, 0.9}, new boolean[]{true, true, false, false}), 1e-12);
        // a genuine and an impostor pair at the same distance cannot be split by any threshold
        assertEquals(0.5, VerificationPairs.bestThresholdAccuracy(
                new double[]{0.4, 0.4}, new boolean[]{true, false}), 1e-12);
    }

    @Test
    void samplesCappedGenuinePairsAndAsManyImpostors() {
        // person 0 has 4 images (6 genuine pairs), person 1 has 3 (3 pairs), person 2 has 1
        int[] persons = {0, 0, 0, 0, 1, 1, 1, 2};
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
        VerificationPairs full = VerificationPairs.sample(persons, all, 100, 1);
        assertEquals(18, full.size());
        VerificationPairs capped = VerificationPairs.sample(persons, all, 5, 1);
        assertEquals(10, capped.size());
        int genuine = 0;
        for (int k = 0; k < capped.size(); k++) {
            int a = capped.first()[k], b = capped.second()[k];
            assertNotEquals(a, b);
            if (capped.genuine()[k]) {
                genuine++;
                assertEquals(persons[a], persons[b]);
            } else {
                assertNotEquals(persons[a], persons[b]);
            }
        }
        assertEquals(5, genuine);
        assertEquals(java.util.Arrays.toString(capped.first()),
                java.util.Arrays.toString(VerificationPairs.sample(persons, all, 5, 1).first()), "seeded");
        assertThrows(IllegalArgumentException.class, () -> VerificationPairs.sample(persons, new int[]{0, 1}, 5, 1));
    }
}
