package doorman.http;

import doorman.audit.AuditLog;
import doorman.audit.AuditQuery;
import doorman.config.AuditConfig;
import doorman.lock.DryRunLock;
import doorman.metrics.Metrics;
import doorman.policy.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Manual unlocks are spaced by a cooldown on an injected clock, and refused (door shut) when they cannot be audited. */
class ManualUnlockTest {

    @TempDir
    Path dir;
    private ApiServer server;
    private AuditLog audit;
    private final DryRunLock lock = new DryRunLock();

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private TestClient start(Duration pulse, HandClock clock) throws Exception {
        ApiToken token = ApiFixture.quietToken(dir);
        audit = AuditLog.open(dir, AuditConfig.defaults(), clock);
        Metrics metrics = new Metrics();
        server = ApiServer.start(ApiSettings.of("127.0.0.1", 0), token, metrics,
                List.of(new DoorRoutes(lock, pulse, audit, metrics, clock)));
        return new TestClient(server.baseUrl(), Files.readString(dir.resolve(ApiToken.FILE_NAME)).strip());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        lock.close();
        if (audit != null) audit.close();
    }

    private void awaitReleased() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (lock.energised()) { // waits for the real relay timer of a 1 ms pulse, not for a guessed time
            assertTrue(System.nanoTime() < deadline, "the relay was never released");
            Thread.onSpinWait();
        }
    }

    @Test
    void repeatedRequestsWaitForTheCooldown() throws Exception {
        HandClock clock = new HandClock();
        TestClient client = start(Duration.ofMillis(1), clock);
        assertEquals(200, client.json("POST", "/api/door/unlock", "{}").statusCode());
        awaitReleased();
        int granted = 1;
        // the red-team's 12 requests 0.8 s apart: with a 3 s cooldown, only every fourth is granted
        for (int i = 1; i < 12; i++) {
            clock.now = clock.now.plusMillis(800);
            HttpResponse<String> r = client.json("POST", "/api/door/unlock", "{}");
            if (r.statusCode() == 200) {
                granted++;
                awaitReleased();
            } else {
                assertEquals(429, r.statusCode(), r.body());
                long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
                assertTrue(retry >= 1 && retry <= 3, "Retry-After " + retry);
            }
        }
        assertEquals(3, granted); // at 0, 3.2 and 6.4 s
        assertEquals(3, audit.query(new AuditQuery(null, null, null, Action.UNLOCK, 0, 100)).size(), "one audit event per granted unlock");
    }

    @Test
    void theCooldownIsTwiceALongPulse() throws Exception {
        HandClock clock = new HandClock();
        TestClient client = start(Duration.ofMillis(2500), clock);
        assertEquals(200, client.json("POST", "/api/door/unlock", "{}").statusCode());
        clock.now = clock.now.plusMillis(4900);
        HttpResponse<String> early = client.json("POST", "/api/door/unlock", "{}");
        assertEquals(429, early.statusCode());
        assertEquals("1", early.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void anUnauditableUnlockKeepsTheDoorShut() throws Exception {
        HandClock clock = new HandClock();
        TestClient client = start(Duration.ofMillis(1), clock);
        audit.close(); // the store is gone: every write fails
        HttpResponse<String> r = client.json("POST", "/api/door/unlock", "{}");
        assertTrue(r.statusCode() == 503 || r.statusCode() == 507, r.body());
        assertTrue(TestClient.body(r).get("error").asText().contains("door stays locked"), r.body());
        assertFalse(lock.energised());
    }
}
