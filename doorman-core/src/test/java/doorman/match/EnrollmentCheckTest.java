package doorman.match;

import doorman.gallery.Person;
import doorman.gallery.Template;
import org.junit.jupiter.api.Test;

import java.util.List;

import static doorman.match.DoorDecisionTest.T;
import static doorman.match.DoorDecisionTest.e;
import static doorman.match.DoorDecisionTest.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnrollmentCheckTest {

    final List<Person> people = List.of(new Person(1, "A", T, true), new Person(2, "B", T, true));
    final List<Template> templates = List.of(template(1, 1, e(1, 0, 0)), template(2, 2, e(0, 1, 0)));

    @Test
    void warnsWhenThePhotoIsNearerSomeoneElse() {
        EnrollmentCheck.Warning w = EnrollmentCheck.check(e(0.6, 0.8, 0), "e3", 1, people, templates).orElseThrow();
        assertEquals("B", w.otherName());
        assertEquals(0.4, w.otherDistance(), 1e-6);
        assertEquals(0.8, w.ownDistance(), 1e-6);
        assertTrue(w.describe("A").contains("closer to B"));
    }

    @Test
    void quietForAGoodPhotoOrAFirstOne() {
        assertTrue(EnrollmentCheck.check(e(0.8, 0.6, 0), "e3", 1, people, templates).isEmpty());
        assertTrue(EnrollmentCheck.check(e(0, 1, 0), "e3", 3, people, templates).isEmpty(), "person 3 has no photos yet");
        assertTrue(EnrollmentCheck.check(e(0.6, 0.8, 0), "other-encoder", 1, people, templates).isEmpty());
    }
}
