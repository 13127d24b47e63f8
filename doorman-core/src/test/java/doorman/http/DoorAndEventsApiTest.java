package doorman.http;

import com.fasterxml.jackson.databind.JsonNode;
import doorman.audit.AuditEvent;
import doorman.policy.Action;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

/** /api/door and /api/events over real HTTP, on a real audit.db and Doorman's dry-run relay. */
class DoorAndEventsApiTest {

    @TempDir
    static Path dir;
    static ApiFixture api;
    static TestClient client;
    /** Recent enough to outlive the audit log's 30-day retention. */
    static final Instant T0 = Instant.now().minusSeconds(7200).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @BeforeAll
    static void start() {
        api = ApiFixture.start(dir.resolve("data"));
        client = api.client;
        // a morning at the door: Ada comes and goes, a stranger lingers, Bob is disabled
        for (int i = 0; i < 30; i++) {
            Instant t = T0.plusSeconds(60L * i);
            if (i % 3 == 0) record(t, Action.UNLOCK, 1L, "Ada");
            else if (i % 3 == 1) record(t, Action.STRANGER_EVENT, null, null);
            else record(t, Action.DENIED, 2L, "Bob");
        }
    }

    static void record(Instant t, Action action, Long personId, String name) {
        api.audit.record(new AuditEvent(0, t, action, personId, name, action == Action.STRANGER_EVENT ? 1.7 : 0.4,
                0.5, 0.05, "ok", "test event"));
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    /** Nobody is enrolled here: one reference's threshold from the shipped curve, at the default target. */
    @Test
    void theDoorSaysHowItDecides() {
        JsonNode d = TestClient.body(client.get("/api/door/decision"));
        assertEquals(0, d.get("people").asInt());
        assertEquals("centroid", d.get("references").asText());
        assertEquals(1e-4, d.get("target").asDouble(), 1e-12);
        double threshold = d.get("threshold").asDouble();
        assertTrue(threshold > 0.3 && threshold < 1.016, "stricter than the 1:1 accept distance: " + threshold);
        assertTrue(d.get("expectedStrangerAcceptPerVisit").asDouble() <= 1e-4 * 1.000001);
    }

    @Test
    void eventsComeNewestFirstAPageAtATime() {
        // Ada's ten events in pages of four: 4, 4, 2
        JsonNode first = TestClient.body(client.get("/api/events?person=1&limit=4"));
        assertEquals(4, first.get("events").size());
        assertEquals(4, first.get("next").asInt());
        Instant newest = Instant.parse(first.get("events").get(0).get("time").asText());
        Instant second = Instant.parse(first.get("events").get(1).get("time").asText());
        assertTrue(newest.isAfter(second));

        JsonNode last = TestClient.body(client.get("/api/events?person=1&limit=4&offset=8"));
        assertEquals(2, last.get("events").size());
        assertTrue(last.get("next").isNull(), last.toString());
        assertNotEquals(first.get("events").get(0).get("id"), last.get("events").get(0).get("id"));
    }

    @Test
    void eventsFilterByPersonOutcomeAndTime() {
        JsonNode ada = TestClient.body(client.get("/api/events?person=1&limit=100"));
        assertEquals(10, ada.get("events").size());
        for (JsonNode e : ada.get("events")) assertEquals("Ada", e.get("personName").asText());

        JsonNode strangers = TestClient.body(client.get("/api/events?outcome=stranger-event&limit=100"));
        assertEquals(10, strangers.get("events").size());
        for (JsonNode e : strangers.get("events")) {
            assertEquals("stranger-event", e.get("outcome").asText());
            assertTrue(e.get("personId").isNull());
        }

        String from = T0.plusSeconds(600).toString(), to = T0.plusSeconds(1200).toString();
        JsonNode window = TestClient.body(client.get("/api/events?from=" + from + "&to=" + to + "&limit=100"));
        assertEquals(11, window.get("events").size(), "both ends inclusive");
    }

    @Test
    void badEventQueriesAre400() {
        for (String q : new String[]{"limit=0", "limit=abc", "limit=5000", "offset=-1", "from=yesterday",
                "to=2025-13-01T00:00:00Z", "outcome=opened", "from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z"}) {
            HttpResponse<String> r = client.get("/api/events?" + q);
            assertEquals(400, r.statusCode(), q + ": " + r.body());
            assertEquals(400, TestClient.body(r).get("status").asInt());
        }
    }

    @Test
    void manualUnlockPulsesTheRelayAndIsAudited() throws Exception {
        assertEquals("locked", TestClient.body(client.get("/api/door")).get("state").asText());
        HttpResponse<String> r = client.send("POST", "/api/door/unlock", null, null);
        assertEquals(200, r.statusCode(), r.body());
        long auditId = TestClient.body(r).get("auditId").asLong();
        assertTrue(api.lock.energised(), "the relay is energised during the pulse");
        assertEquals("unlocked", TestClient.body(client.get("/api/door")).get("state").asText());

        JsonNode newest = TestClient.body(client.get("/api/events?outcome=unlock&limit=1")).get("events").get(0);
        assertEquals(auditId, newest.get("id").asLong());
        assertTrue(newest.get("reason").asText().startsWith("manual unlock through the API"), newest.toString());
        assertTrue(client.get("/metrics").body().contains("doorman_unlocks_total{source=\"manual\"} 1"));

        long deadline = System.nanoTime() + 5_000_000_000L;
        while (api.lock.energised() && System.nanoTime() < deadline) Thread.sleep(50);
        assertFalse(api.lock.energised(), "the pulse ends by itself and the door locks again");
        assertEquals("locked", TestClient.body(client.get("/api/door")).get("state").asText());
    }

    @Test
    void theDoorNeedsTheTokenLikeEverythingElse() {
        TestClient anonymous = client.withToken(null);
        assertEquals(401, anonymous.send("POST", "/api/door/unlock", null, null).statusCode());
        assertFalse(api.lock.energised());
    }
}
