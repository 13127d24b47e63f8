package doorman.match;

import doorman.embedding.Embedding;
import doorman.gallery.Person;
import doorman.gallery.Template;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faces in three dimensions with known distances: A is (1,0,0), B is (0,1,0). A frame at angle t from A lies
 * 2 - 2 cos t from it. The threshold is fixed at 0.3 by a one-point curve; the unknown distance is 1.0.
 */
class DoorDecisionTest {

    static final String ENC = "e3";
    static final Calibration CAL = new Calibration(ENC, -10, 5, 0.5, 1.0, 1e-3);
    static final StrangerCurves FLAT = StrangerCurves.of(new StrangerCurve(ENC, 1_000_000_000L, new double[]{0.3}, new double[]{1e-9}));
    static final Instant T = Instant.EPOCH;

    static Embedding e(double... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Embedding.normalised(f);
    }

    static Template template(long id, long person, Embedding e) {
        return new Template(id, person, e, ENC, "-", 1, T);
    }

    static DoorDecision door(DoorDecision.References refs, boolean bEnabled) {
        List<Person> people = List.of(new Person(1, "A", T, true), new Person(2, "B", T, bEnabled));
        List<Template> templates = List.of(template(1, 1, e(1, 0, 0)), template(2, 2, e(0, 1, 0)));
        return new DoorDecision(CAL, refs, people, templates, FLAT, 1e-4);
    }

    @Test
    void fusedFramesPassWhereEachAloneWouldNot() {
        DoorDecision door = door(DoorDecision.References.CENTROID, true);
        Embedding up = e(0.8, 0.0, 0.6), down = e(0.8, 0.0, -0.6);   // each 0.4 from A
        DoorDecision.Verdict alone = door.decide(List.of(up)).orElseThrow();
        assertEquals(0.4, alone.distance(), 1e-6);
        assertEquals(Recognition.UNCERTAIN, alone.decision());
        DoorDecision.Verdict visit = door.decide(List.of(up, down)).orElseThrow();
        assertEquals(0.0, visit.distance(), 1e-6, "the mean of the two points straight at A");
        assertTrue(visit.accepted());
        assertEquals(1, visit.personId());
        assertEquals(0.3, visit.threshold().distance(), 1e-12);
    }

    @Test
    void aFrameNearestSomeoneElseSpoilsTheVisit() {
        DoorDecision door = door(DoorDecision.References.CENTROID, true);
        Embedding leaning = e(0.6, 0.8, 0);   // 0.4 from B, 0.8 from A
        DoorDecision.Verdict visit = door.decide(List.of(e(1, 0, 0), e(1, 0, 0), leaning)).orElseThrow();
        assertTrue(visit.distance() < 0.3, "fused alone would pass: " + visit.distance());
        assertFalse(visit.consistent());
        assertEquals(Recognition.UNCERTAIN, visit.decision());
    }

    @Test
    void farFromEveryoneIsAStranger() {
        DoorDecision.Verdict v = door(DoorDecision.References.CENTROID, true).decide(List.of(e(0, 0, 1))).orElseThrow();
        assertEquals(2.0, v.distance(), 1e-6);
        assertEquals(Recognition.STRANGER, v.decision());
    }

    @Test
    void verifyAcceptsOnlyWhenTheDoorWouldTakeThemForThatPerson() {
        DoorDecision door = door(DoorDecision.References.CENTROID, true);
        assertTrue(door.verify(List.of(e(1, 0, 0)), 1, "A").accepted());
        DoorDecision.Verdict asB = door.verify(List.of(e(1, 0, 0)), 2, "B");
        assertFalse(asB.accepted());
        assertEquals(2.0, asB.distance(), 1e-6);
        DoorDecision.Verdict disabled = door(DoorDecision.References.CENTROID, false).verify(List.of(e(0, 1, 0)), 2, "B");
        assertEquals(Recognition.STRANGER, disabled.decision());
        assertEquals(Double.POSITIVE_INFINITY, disabled.distance());
    }

    @Test
    void referencesCountPeopleOrTemplates() {
        List<Person> people = List.of(new Person(1, "A", T, true), new Person(2, "B", T, true));
        List<Template> templates = List.of(template(1, 1, e(1, 0.1, 0)), template(2, 1, e(1, -0.1, 0)), template(3, 1, e(1, 0, 0.1)),
                template(4, 1, e(1, 0, -0.1)), template(5, 2, e(0, 1, 0)));
        StrangerCurves curve = StrangerCurves.of(DoorThresholdTest.CURVE);
        DoorDecision centroid = new DoorDecision(new Calibration("e", -10, 5, 0.5, 1.0, 1e-3), DoorDecision.References.CENTROID,
                people, templates.stream().map(t -> new Template(t.id(), t.personId(), t.embedding(), "e", "-", 1, T)).toList(), curve, 1e-4);
        DoorDecision each = new DoorDecision(new Calibration("e", -10, 5, 0.5, 1.0, 1e-3), DoorDecision.References.TEMPLATES,
                people, templates.stream().map(t -> new Template(t.id(), t.personId(), t.embedding(), "e", "-", 1, T)).toList(), curve, 1e-4);
        assertEquals(2, centroid.threshold().comparisons());
        assertEquals(5, each.threshold().comparisons());
        assertTrue(each.threshold().distance() < centroid.threshold().distance());
        assertTrue(centroid.decide(List.of(e(1, 0, 0))).orElseThrow().distance() < 1e-4, "A's centroid is (1,0,0)");
    }

    @Test
    void nobodyEnrolledGivesNoVerdict() {
        DoorDecision empty = new DoorDecision(CAL, DoorDecision.References.CENTROID, List.of(), List.of(), FLAT, 1e-4);
        assertTrue(empty.decide(List.of(e(1, 0, 0))).isEmpty());
        assertEquals(0, empty.people());
    }
}
