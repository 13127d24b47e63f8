package doorman.match;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The threshold arithmetic on a hand-made curve: 1e-6 at 0.5, 1e-4 at 0.7, 1e-2 at 0.9 (a decade every 0.1). */
class DoorThresholdTest {

    static final StrangerCurve CURVE = new StrangerCurve("e", 10_000_000, new double[]{0.5, 0.7, 0.9}, new double[]{1e-6, 1e-4, 1e-2});

    @Test
    void ratesAreInterpolatedInLogBetweenPoints() {
        assertEquals(1e-5, CURVE.rateAt(0.6), 1e-12);
        assertEquals(1e-4, CURVE.rateAt(0.7), 1e-15);
        assertEquals(1e-6, CURVE.rateAt(0.1), 0, "below the first point the floor is all we know");
        assertEquals(1e-2, CURVE.rateAt(3.0), 0);
        assertEquals(0.6, CURVE.distanceFor(1e-5), 1e-12);
        assertEquals(0.8, CURVE.distanceFor(1e-3), 1e-12);
    }

    @Test
    void targetPerVisitIsSharedOutOverTheReferences() {
        DoorThreshold ten = DoorThreshold.forTarget(CURVE, 1e-4, 10);
        assertEquals(0.6, ten.distance(), 1e-12, "1e-4 over 10 references: 1e-5 each");
        assertEquals(1e-4, ten.expectedStrangerAccept(), 1e-12);
        DoorThreshold one = DoorThreshold.forTarget(CURVE, 1e-4, 1);
        assertEquals(0.7, one.distance(), 1e-12);
        DoorThreshold hundred = DoorThreshold.forTarget(CURVE, 1e-4, 100);
        assertEquals(0.5, hundred.distance(), 1e-12);
        assertTrue(hundred.distance() < ten.distance() && ten.distance() < one.distance(), "more people, stricter door");
    }

    @Test
    void belowTheCurvesFloorTheExpectationSaysWhatCanBeClaimed() {
        DoorThreshold thousand = DoorThreshold.forTarget(CURVE, 1e-4, 1000);
        assertEquals(0.5, thousand.distance(), 0);
        assertEquals(1e-3, thousand.expectedStrangerAccept(), 1e-15, "1000 references x the floor, not the target");
        assertEquals(1.0, DoorThreshold.expected(CURVE, 0.9, 1000), 0, "capped at certainty");
    }

    /** Centroids of three photos draw strangers ten times as often here; a household of one of each shares the target 1:10. */
    @Test
    void eachReferenceUsesTheCurveForItsNumberOfPhotos() {
        StrangerCurve heavier = new StrangerCurve("e", 1_000_000, new double[]{0.5, 0.7, 0.9}, new double[]{1e-5, 1e-3, 1e-1});
        StrangerCurves curves = new StrangerCurves("e", java.util.List.of(CURVE, heavier));
        assertEquals(heavier, curves.forTemplates(2));
        assertEquals(heavier, curves.forTemplates(7), "the last curve serves larger references");
        DoorThreshold mixed = DoorThreshold.forTarget(curves, 1.1e-4, new int[]{1, 3});
        assertEquals(0.6, mixed.distance(), 1e-9);
        assertEquals(1.1e-4, mixed.expectedStrangerAccept(), 1e-12);
        assertEquals(2, mixed.comparisons());
    }

    @Test
    void nobodyEnrolledCountsAsOneReference() {
        assertEquals(0.7, DoorThreshold.forTarget(CURVE, 1e-4, 0).distance(), 1e-12);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> DoorThreshold.forTarget(CURVE, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> DoorThreshold.forTarget(CURVE, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new StrangerCurve("e", 10, new double[]{0.7, 0.5}, new double[]{1e-4, 1e-3}));
        assertThrows(IllegalArgumentException.class, () -> new StrangerCurve("e", 10, new double[]{0.5, 0.7}, new double[]{1e-3, 1e-4}));
    }
}
