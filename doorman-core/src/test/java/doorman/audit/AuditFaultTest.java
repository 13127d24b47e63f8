package doorman.audit;

import doorman.config.AuditConfig;
import doorman.policy.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.*;

/** A failing audit store never throws into a caller that already acted (the door loop after a pulse). */
class AuditFaultTest {

    @TempDir
    Path dir;

    @Test
    void recordOrLogSurvivesAStoreThatCannotWrite() {
        AuditLog log = AuditLog.open(dir, AuditConfig.defaults(), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        AuditEvent event = new AuditEvent(0, Instant.parse("2026-01-01T00:00:00Z"), Action.UNLOCK, 1L, "Ada",
                0.4, 0.9, 0.1, "ok", "test");
        assertTrue(log.recordOrLog(event).id() > 0, "a healthy store assigns an id");
        log.close();
        AuditEvent unstored = assertDoesNotThrow(() -> log.recordOrLog(event));
        assertEquals(0, unstored.id(), "an event that could not be stored has no id");
        assertDoesNotThrow(() -> new AdminAudit(log, Clock.systemUTC()).record(1L, "Ada", "renamed"));
    }

    @Test
    void adminEventsAreStoredWithTheirOwnAction() {
        try (AuditLog log = AuditLog.open(dir, AuditConfig.defaults(), Clock.systemUTC())) {
            new AdminAudit(log, Clock.systemUTC()).record(7L, "Ada", "disabled (API from 127.0.0.1)");
            new AdminAudit(log, Clock.systemUTC()).signIn("failed sign-in: 5 wrong tokens from 10.0.0.9");
            var events = log.query(new AuditQuery(null, null, null, Action.ADMIN, 0, 10));
            assertEquals(2, events.size());
            assertEquals(Long.valueOf(7), events.get(1).personId());
            assertEquals("disabled (API from 127.0.0.1)", events.get(1).reason());
            assertNull(events.get(0).personId());
        }
    }
}
