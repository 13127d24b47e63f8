package doorman.eval;

import doorman.match.StrangerCurves;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StrangerCurveFitTest {

    /**
     * Two people, one photo each, at squared distance 2 - 2 cos 60deg = 1.0: the single pair lies in the bin ending
     * at 1.0 (bins of 0.005), so the rate there is 1 and there are no points before it.
     */
    @Test
    void onePairGivesOneStep() {
        float[][] rows = {{1, 0}, {0.5f, (float) Math.sqrt(0.75)}};
        StrangerCurves curves = StrangerCurveFit.fit("e", rows, new int[]{0, 1}, 1);
        assertEquals(1, curves.byTemplates().size());
        assertEquals(1, curves.forTemplates(1).pairs());
        assertEquals(1.0, curves.forTemplates(1).rateAt(1.1), 0);
        assertEquals(1.0, curves.forTemplates(1).floor(), 0);
        assertEquals(1.0, curves.forTemplates(1).distances()[0], 0.0051);
    }

    /** Only the first photos of a person count, so one person's many photos cannot weigh the curve down. */
    @Test
    void photosBeyondTheCapAreLeftOut() {
        float[][] rows = new float[StrangerCurveFit.PER_PERSON + 4][];
        int[] people = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i == 0 ? new float[]{0.6f, 0.8f} : new float[]{1, 0}; // 0.8 apart
            people[i] = i == 0 ? 1 : 0;
        }
        StrangerCurves curves = StrangerCurveFit.fit("e", rows, people, 1);
        assertEquals(StrangerCurveFit.PER_PERSON, curves.forTemplates(1).pairs(), "person 0 contributes " + StrangerCurveFit.PER_PERSON + " photos");
    }
}
