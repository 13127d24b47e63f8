package doorman.eval;

import doorman.eval.DoorEvaluation.Level;
import doorman.eval.DoorEvaluation.Outcome;
import doorman.match.Calibration;
import doorman.match.DoorDecision;
import doorman.match.StrangerCurve;
import doorman.match.StrangerCurves;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The door evaluation's counting on synthetic people whose answers are known. */
class DoorEvaluationTest {

    static final Calibration CAL = new Calibration("e", -10, 5, 0.5, 1.0, 1e-3);
    static final StrangerCurves CURVE = StrangerCurves.of(new StrangerCurve("e", 1_000_000, new double[]{0.3}, new double[]{1e-6}));

    static float[] axis(int i, int dim) {
        float[] v = new float[dim];
        v[i] = 1;
        return v;
    }

    @Test
    void tallySortsVisitsIntoTheThreeOutcomes() {
        DoorEvaluation.Counts c = new DoorEvaluation.Counts();
        DoorEvaluation.tally(c, Level.FRAME, 1, 1);   // genuine, right person
        DoorEvaluation.tally(c, Level.FRAME, 1, 2);   // genuine, taken for someone else
        DoorEvaluation.tally(c, Level.FRAME, 1, 0);   // genuine, refused
        DoorEvaluation.tally(c, Level.FRAME, -1, 3);  // stranger let in
        DoorEvaluation.tally(c, Level.FRAME, -1, 0);  // stranger refused
        assertEquals(BinomialInterval.of(1, 3), c.get(Level.FRAME, Outcome.GENUINE_ACCEPT));
        assertEquals(BinomialInterval.of(1, 3), c.get(Level.FRAME, Outcome.WRONG_PERSON_ACCEPT));
        assertEquals(BinomialInterval.of(1, 2), c.get(Level.FRAME, Outcome.STRANGER_ACCEPT));
        assertEquals(0, c.get(Level.DIVERSE, Outcome.STRANGER_ACCEPT).trials());
    }

    /**
     * Four people on four axes, three identical photos each, one near-duplicate frame per photo, visits of two
     * frames. A household of two enrolled with one photo each, drawn three times: per draw four genuine photos (all
     * accepted) and six stranger photos (none accepted), each starting one visit of every kind.
     */
    @Test
    void perfectlySeparatedPeopleGiveKnownCounts() {
        List<DoorEvaluation.Image> images = new ArrayList<>();
        for (int p = 0; p < 4; p++)
            for (int j = 0; j < 3; j++) images.add(new DoorEvaluation.Image("p" + p, axis(p, 4), List.of(axis(p, 4))));
        DoorEvaluation.Result r = DoorEvaluation.run(images, new DoorEvaluation.Settings(2, 1, 3, 2, 7), CAL, CURVE, 1e-4,
                DoorDecision.References.CENTROID, rep -> { });
        for (String decision : List.of(DoorEvaluation.BEFORE, DoorEvaluation.AFTER))
            for (Level level : Level.values()) {
                DoorEvaluation.Counts c = r.decisions().get(decision);
                assertEquals(BinomialInterval.of(12, 12), c.get(level, Outcome.GENUINE_ACCEPT), decision + " " + level);
                assertEquals(0, c.get(level, Outcome.WRONG_PERSON_ACCEPT).successes());
                assertEquals(BinomialInterval.of(0, 18), c.get(level, Outcome.STRANGER_ACCEPT), decision + " " + level);
            }
        assertEquals(12, r.at(0, Level.DIVERSE, Outcome.GENUINE_ACCEPT).successes(), "distance 0 passes every grid point");
        assertEquals(0, r.at(DoorEvaluation.GRID.length - 1, Level.NEAR_DUPLICATE, Outcome.STRANGER_ACCEPT).successes(),
                "strangers lie 2 away, beyond every grid point");
        assertNotNull(r.threshold());
        assertEquals(2, r.threshold().comparisons());
    }

    /** A stranger identical to a member's photo is let in by both decisions, and counted as such. */
    @Test
    void aLookAlikeStrangerIsCounted() {
        List<DoorEvaluation.Image> images = List.of(
                new DoorEvaluation.Image("a", axis(0, 2), List.of()), new DoorEvaluation.Image("a", axis(0, 2), List.of()),
                new DoorEvaluation.Image("twin", axis(0, 2), List.of(axis(0, 2), axis(0, 2))));
        DoorEvaluation.Result r = DoorEvaluation.run(images, new DoorEvaluation.Settings(1, 1, 1, 3, 1), CAL, CURVE, 1e-4,
                DoorDecision.References.TEMPLATES, rep -> { });
        DoorEvaluation.Counts after = r.decisions().get(DoorEvaluation.AFTER);
        assertEquals(BinomialInterval.of(1, 1), after.get(Level.FRAME, Outcome.STRANGER_ACCEPT));
        assertEquals(BinomialInterval.of(1, 1), after.get(Level.NEAR_DUPLICATE, Outcome.STRANGER_ACCEPT));
        assertEquals(0, after.get(Level.NEAR_DUPLICATE, Outcome.GENUINE_ACCEPT).trials(), "the member's photos have no near-duplicates");
        assertEquals(0, after.get(Level.DIVERSE, Outcome.STRANGER_ACCEPT).trials(), "one photo makes no diverse visit of three");
    }

    @Test
    void tooFewPeopleIsSkippedWithAReason() {
        List<DoorEvaluation.Image> images = List.of(new DoorEvaluation.Image("a", axis(0, 2), List.of()));
        DoorEvaluation.Result r = DoorEvaluation.run(images, new DoorEvaluation.Settings(5, 1, 1, 3, 1), CAL, CURVE, 1e-4,
                DoorDecision.References.CENTROID, rep -> { });
        assertTrue(r.skipped().contains("only 0 people"), r.skipped());
    }
}
