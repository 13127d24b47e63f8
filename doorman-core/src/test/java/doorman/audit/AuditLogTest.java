package doorman.audit;

import doorman.MutableClock;
import doorman.config.AuditConfig;
import doorman.policy.Action;
import doorman.policy.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AuditLogTest {

    static final Instant T0 = Instant.parse("2025-03-03T09:00:00.123456789Z");
    static final AuditConfig CONFIG = new AuditConfig(90, 1000);

    @TempDir
    Path dir;

    static final long ALICE = 1, BOB = 2, OLD = 3, RECENT = 4, NEW = 5, NOBODY = 99;

    static AuditEvent unlock(Instant t, long person) {
        return AuditEvent.of(t, new Decision(Action.UNLOCK, person, "3 live frames in 200 ms"), "PERSON " + person,
                0.41, 0.98, 0.93, "ok");
    }

    static AuditEvent stranger(Instant t) {
        return AuditEvent.of(t, new Decision(Action.STRANGER_EVENT, null, "unknown face at the door"), null,
                1.7, 0.01, Double.NaN, "ok");
    }

    @Test
    void storesEveryFieldAndReturnsNewestFirst() {
        try (AuditLog audit = AuditLog.open(dir, CONFIG, Clock.fixed(T0, ZoneOffset.UTC))) {
            AuditEvent a = audit.record(unlock(T0, ALICE));
            AuditEvent s = audit.record(stranger(T0.plusSeconds(1)));
            assertEquals(1, a.id());
            assertEquals(2, s.id());
            List<AuditEvent> all = audit.query(AuditQuery.latest(10));
            assertEquals(List.of(s, a), all);
            AuditEvent got = all.get(1);
            assertEquals(T0, got.time(), "nanosecond time survives");
            assertEquals(Long.valueOf(ALICE), got.personId());
            assertEquals("PERSON 1", got.personName());
            assertEquals(0.41, got.distance());
            assertEquals("ok", got.quality());
            assertNull(all.get(0).personId());
            assertTrue(Double.isNaN(all.get(0).livenessScore()));
            assertTrue(Files.exists(dir.resolve("audit.db")));
        }
    }

    @Test
    void filtersByPersonOutcomeAndTimeAndPages() {
        try (AuditLog audit = AuditLog.open(dir, CONFIG, Clock.fixed(T0, ZoneOffset.UTC))) {
            for (int i = 0; i < 30; i++) {
                Instant t = T0.plusSeconds(i);
                audit.record(i % 3 == 0 ? stranger(t) : unlock(t, i % 3 == 1 ? ALICE : BOB));
            }
            List<AuditEvent> alice = audit.query(AuditQuery.latest(100).person(ALICE));
            assertEquals(10, alice.size());
            assertTrue(alice.stream().allMatch(e -> e.personId() == ALICE));
            assertEquals(T0.plusSeconds(28), alice.get(0).time());

            assertEquals(10, audit.query(AuditQuery.latest(100).action(Action.STRANGER_EVENT)).size());
            List<AuditEvent> window = audit.query(AuditQuery.latest(100).between(T0.plusSeconds(10), T0.plusSeconds(14)));
            assertEquals(List.of(14L, 13L, 12L, 11L, 10L), window.stream().map(e -> e.time().getEpochSecond() - T0.getEpochSecond()).toList());

            List<AuditEvent> page1 = audit.query(AuditQuery.latest(100).person(BOB).page(0, 4));
            List<AuditEvent> page2 = audit.query(AuditQuery.latest(100).person(BOB).page(4, 4));
            List<AuditEvent> page3 = audit.query(AuditQuery.latest(100).person(BOB).page(8, 4));
            assertEquals(4, page1.size());
            assertEquals(4, page2.size());
            assertEquals(2, page3.size());
            assertTrue(page1.get(3).time().isAfter(page2.get(0).time()));
            assertEquals(List.of(), audit.query(AuditQuery.latest(10).person(NOBODY)));
        }
    }

    @Test
    void survivesReopeningAndKeepsCountingIds() {
        try (AuditLog audit = AuditLog.open(dir, CONFIG, Clock.fixed(T0, ZoneOffset.UTC))) {
            audit.record(unlock(T0, ALICE));
            audit.record(unlock(T0.plusSeconds(1), BOB));
        }
        try (AuditLog audit = AuditLog.open(dir, CONFIG, Clock.fixed(T0, ZoneOffset.UTC))) {
            assertEquals(2, audit.size());
            assertEquals(3, audit.record(stranger(T0.plusSeconds(2))).id());
            assertEquals(Long.valueOf(BOB), audit.query(AuditQuery.latest(3)).get(1).personId());
        }
    }

    @Test
    void keepsAtMostMaxEventsDroppingTheOldest() {
        try (AuditLog audit = AuditLog.open(dir, new AuditConfig(90, 100), Clock.fixed(T0, ZoneOffset.UTC))) {
            for (int i = 0; i < 130; i++) audit.record(unlock(T0.plusMillis(i), ALICE));
            assertEquals(100, audit.size());
            List<AuditEvent> all = audit.query(AuditQuery.latest(1000));
            assertEquals(130, all.get(0).id());
            assertEquals(31, all.get(99).id(), "the 30 oldest are gone");
        }
    }

    @Test
    void dropsEventsPastTheRetentionAge() {
        MutableClock clock = new MutableClock(T0);
        try (AuditLog audit = AuditLog.open(dir, new AuditConfig(30, 1000), clock)) {
            for (int i = 0; i < 5; i++) audit.record(unlock(T0.plusSeconds(i), OLD));
            clock.now = T0.plus(Duration.ofDays(10));
            audit.record(unlock(clock.now, RECENT));
            clock.now = T0.plus(Duration.ofDays(31));
            audit.record(unlock(clock.now, NEW));
            assertEquals(List.of(NEW, RECENT), audit.query(AuditQuery.latest(10)).stream().map(AuditEvent::personId).toList());
        }
        // a full prune happens on open, e.g. after the retention was shortened
        try (AuditLog audit = AuditLog.open(dir, new AuditConfig(1, 1000), clock)) {
            assertEquals(List.of(NEW), audit.query(AuditQuery.latest(10)).stream().map(AuditEvent::personId).toList());
        }
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefusedClearly() {
        try (AuditLog audit = AuditLog.open(dir, CONFIG, Clock.systemUTC())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuditLog.open(dir, CONFIG, Clock.systemUTC()));
            assertTrue(e.getMessage().contains("audit.db is in use by another process"), e.getMessage());
            assertEquals(0, audit.size());
        }
    }

    @Test
    void eachEventIsOneKeyValueLogLine() {
        AuditEvent e = unlock(T0, ALICE).withId(7);
        assertEquals("decision id=7 action=UNLOCK person=1 name=\"PERSON 1\" distance=0.4100 probability=0.980 liveness=0.930"
                + " quality=ok reason=\"3 live frames in 200 ms\"", AuditLog.logLine(e));
        AuditEvent odd = new AuditEvent(8, T0, Action.STRANGER_EVENT, null, null, Double.NaN, Double.NaN, Double.NaN,
                "blur 31 < 50", "two\nlines \"quoted\"");
        assertEquals("decision id=8 action=STRANGER_EVENT person=unknown distance=- probability=- liveness=-"
                + " quality=\"blur 31 < 50\" reason=\"two lines \\\"quoted\\\"\"", AuditLog.logLine(odd));
    }

    @Test
    void queriesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.latest(0));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.latest(5000));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.latest(5).page(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.latest(5).between(T0, T0.minusSeconds(1)));
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
