package doorman.match;

import doorman.embedding.Embedding;
import doorman.gallery.Person;
import org.junit.jupiter.api.Test;

import java.util.List;

import static doorman.match.DoorDecisionTest.CAL;
import static doorman.match.DoorDecisionTest.FLAT;
import static doorman.match.DoorDecisionTest.T;
import static doorman.match.DoorDecisionTest.e;
import static doorman.match.DoorDecisionTest.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame loop's streak: candidates while it fills, the fused verdict once full, forgotten when refused. */
class DoorVisitTest {

    final DoorDecision door = new DoorDecision(CAL, DoorDecision.References.CENTROID,
            List.of(new Person(1, "A", T, true), new Person(2, "B", T, true)),
            List.of(template(1, 1, e(1, 0, 0)), template(2, 2, e(0, 1, 0))), FLAT, 1e-4);
    final Embedding up = e(0.8, 0.0, 0.6), down = e(0.8, 0.0, -0.6), straight = e(1, 0, 0);

    @Test
    void framesCountAsCandidatesUntilTheStreakIsFullThenTheFusedVerdictDecides() {
        DoorVisit visit = new DoorVisit(3);
        assertEquals(Recognition.ACCEPT, visit.add(up, door).orElseThrow().decision(), "0.4 alone, but only a candidate");
        assertEquals(Recognition.ACCEPT, visit.add(down, door).orElseThrow().decision());
        DoorDecision.Verdict full = visit.add(straight, door).orElseThrow();
        assertTrue(full.accepted());
        assertEquals(3, full.frames());
        assertEquals(0.0, full.distance(), 1e-6);
    }

    @Test
    void aRefusedFullStreakIsForgotten() {
        DoorVisit visit = new DoorVisit(2);
        visit.add(up, door);
        DoorDecision.Verdict refused = visit.add(up, door).orElseThrow();   // two identical frames fuse to 0.4 > 0.3
        assertEquals(Recognition.UNCERTAIN, refused.decision());
        assertEquals(0, visit.size());
    }

    @Test
    void anotherPersonOrAStrangerRestartsTheStreak() {
        DoorVisit visit = new DoorVisit(3);
        visit.add(straight, door);
        visit.add(straight, door);
        visit.add(e(0, 1, 0), door);
        assertEquals(1, visit.size(), "B's frame starts B's streak");
        assertEquals(Recognition.STRANGER, visit.add(e(0, 0, 1), door).orElseThrow().decision());
        assertEquals(0, visit.size());
    }

    @Test
    void theStreakSlidesOverTheLastFrames() {
        DoorVisit visit = new DoorVisit(2);
        visit.add(straight, door);
        assertTrue(visit.add(straight, door).orElseThrow().accepted());
        assertTrue(visit.add(straight, door).orElseThrow().accepted());
        assertEquals(2, visit.size());
    }
}
