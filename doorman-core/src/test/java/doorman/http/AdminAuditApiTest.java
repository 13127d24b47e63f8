package doorman.http;

import doorman.audit.AuditEvent;
import doorman.audit.AuditQuery;
import doorman.policy.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every change to who can enter, made through the API, leaves an ADMIN audit event naming the caller's address. */
class AdminAuditApiTest {

    @TempDir
    Path dir;

    @Test
    void enrollRenameDisableFacesAndRemovalAreAudited() {
        byte[] photo = ApiFixture.photo(EnrollmentApiTest.AARON_1); // skips without ../shared
        try (ApiFixture api = ApiFixture.start(dir.resolve("data"))) {
            TestClient client = api.client;
            HttpResponse<String> created = client.json("POST", "/api/people", "{\"name\":\"Aaron\"}");
            long id = TestClient.body(created).get("id").asLong();
            HttpResponse<String> face = client.image("/api/people/" + id + "/faces", "image/jpeg", photo);
            assertEquals(201, face.statusCode(), face.body());
            long faceId = TestClient.body(face).get("id").asLong();
            assertEquals(200, client.json("PATCH", "/api/people/" + id, "{\"name\":\"Aaron P\",\"enabled\":false}").statusCode());
            assertEquals(204, client.delete("/api/people/" + id + "/faces/" + faceId).statusCode());
            assertEquals(204, client.delete("/api/people/" + id).statusCode());

            List<AuditEvent> events = api.audit.query(new AuditQuery(null, null, null, Action.ADMIN, 0, 100));
            List<String> reasons = new java.util.ArrayList<>(events.stream().map(AuditEvent::reason).toList());
            java.util.Collections.reverse(reasons); // the query answers newest first
            assertEquals(6, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).startsWith("person added"), reasons.toString());
            assertTrue(reasons.get(1).startsWith("face " + faceId + " added"), reasons.toString());
            assertTrue(reasons.get(2).startsWith("renamed from Aaron"), reasons.toString());
            assertTrue(reasons.get(3).startsWith("disabled"), reasons.toString());
            assertTrue(reasons.get(4).startsWith("face " + faceId + " removed"), reasons.toString());
            assertTrue(reasons.get(5).startsWith("person removed with 0 face(s)"), reasons.toString());
            assertTrue(reasons.stream().allMatch(r -> r.contains("(API from 127.0.0.1)")), reasons.toString());
            assertTrue(events.stream().allMatch(e -> Long.valueOf(id).equals(e.personId())));
        }
    }
}
