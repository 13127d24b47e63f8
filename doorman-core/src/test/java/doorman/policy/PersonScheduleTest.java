package doorman.policy;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.*;

class PersonScheduleTest {

    // 2025-03-03 is a Monday
    static ZonedDateTime at(int dayOfMonth, int hour, int minute) {
        return ZonedDateTime.of(LocalDateTime.of(2025, 3, dayOfMonth, hour, minute), ZoneOffset.UTC);
    }

    @Test
    void alwaysAllowsEveryMoment() {
        assertSame(PersonSchedule.ALWAYS, PersonSchedule.parse("always"));
        assertTrue(PersonSchedule.ALWAYS.allows(at(3, 0, 0)));
        assertTrue(PersonSchedule.ALWAYS.allows(at(9, 23, 59)));
        assertEquals("always", PersonSchedule.ALWAYS.toString());
    }

    @Test
    void officeHours() {
        PersonSchedule s = PersonSchedule.parse("Mon-Fri 08:00-18:00");
        assertEquals(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), s.days());
        assertFalse(s.allows(at(3, 7, 59)));
        assertTrue(s.allows(at(3, 8, 0)), "start is inclusive");
        assertTrue(s.allows(at(7, 17, 59)));
        assertFalse(s.allows(at(7, 18, 0)), "end is exclusive");
        assertFalse(s.allows(at(8, 12, 0)), "Saturday");
        assertEquals("mon-fri 08:00-18:00", s.toString());
    }

    @Test
    void overnightRunsIntoTheNextDay() {
        PersonSchedule s = PersonSchedule.parse("fri 22:00-06:00");
        assertTrue(s.allows(at(7, 23, 0)), "Friday night");
        assertTrue(s.allows(at(8, 5, 59)), "early Saturday belongs to Friday's shift");
        assertFalse(s.allows(at(8, 22, 30)), "Saturday night is not Friday");
        assertFalse(s.allows(at(7, 5, 0)), "early Friday belongs to Thursday");
        assertEquals("fri 22:00-06:00", s.toString());
    }

    @Test
    void wholeDaysAndLists() {
        PersonSchedule weekend = PersonSchedule.parse("sat,sun");
        assertTrue(weekend.allows(at(9, 3, 0)));
        assertFalse(weekend.allows(at(10, 3, 0)));
        assertEquals("sat,sun", weekend.toString());
        PersonSchedule mixed = PersonSchedule.parse("mon,wed-fri,sun 9:30-24:00");
        assertEquals("mon,wed-fri,sun 09:30-00:00", mixed.toString());
        assertTrue(mixed.allows(at(5, 23, 59)));
        assertFalse(mixed.allows(at(4, 12, 0)), "Tuesday");
        assertEquals(mixed, PersonSchedule.parse(mixed.toString()), "round trip");
        assertEquals(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY), PersonSchedule.parse("sat-mon").days());
    }

    @Test
    void badTextIsRefusedWithTheReason() {
        assertEquals("schedule: 'xyz' is not a day (mon, tue, ... sun) in 'xyz 08:00-10:00'",
                assertThrows(IllegalArgumentException.class, () -> PersonSchedule.parse("xyz 08:00-10:00")).getMessage());
        assertEquals("schedule: '25:00' is not a time like 08:00 in 'mon 08:00-25:00'",
                assertThrows(IllegalArgumentException.class, () -> PersonSchedule.parse("mon 08:00-25:00")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PersonSchedule.parse(""));
        assertThrows(IllegalArgumentException.class, () -> PersonSchedule.parse("mon 08:00"));
        assertThrows(IllegalArgumentException.class, () -> PersonSchedule.parse("mon 08:00-09:00 extra"));
        assertThrows(IllegalArgumentException.class, () -> new PersonSchedule(EnumSet.noneOf(DayOfWeek.class), null, null));
    }
}
