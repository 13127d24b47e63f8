package doorman.http;

import com.fasterxml.jackson.databind.JsonNode;
import doorman.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The server's front door over real HTTP on loopback: what is open, what needs the token, how guessing is slowed. */
class ApiAuthTest {

    @TempDir
    Path dir;
    private ApiServer server;
    private TestClient client;
    private Metrics metrics;

    private void start(ApiSettings settings) throws IOException {
        ApiToken token = ApiFixture.quietToken(dir);
        metrics = new Metrics();
        metrics.recordDecision("accept");
        server = ApiServer.start(settings, token, metrics, List.of(routes ->
                routes.get("/api/ping", ctx -> ctx.json(java.util.Map.of("pong", true)))));
        client = new TestClient(server.baseUrl(), Files.readString(dir.resolve(ApiToken.FILE_NAME)).strip());
    }

    private void startAudited(ApiSettings settings, List<String> audited) throws IOException {
        ApiToken token = ApiFixture.quietToken(dir);
        metrics = new Metrics();
        server = ApiServer.start(settings, token, metrics, audited::add, List.of(routes ->
                routes.get("/api/ping", ctx -> ctx.json(java.util.Map.of("pong", true)))));
        client = new TestClient(server.baseUrl(), Files.readString(dir.resolve(ApiToken.FILE_NAME)).strip());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static void assertError(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = TestClient.body(r);
        assertEquals(status, body.get("status").asInt());
        assertFalse(body.get("error").asText().isBlank());
        assertFalse(r.body().contains("at doorman."), "no stack trace");
    }

    @Test
    void healthPageAndSpecAreOpenEverythingElseNeedsTheToken() throws IOException {
        start(ApiSettings.of("127.0.0.1", 0));
        TestClient anonymous = client.withToken(null);
        assertEquals(200, anonymous.get("/healthz").statusCode());
        assertEquals("ok", TestClient.body(anonymous.get("/healthz")).get("status").asText());
        assertNull(TestClient.body(anonymous.get("/healthz")).get("warnings"), "a careful setup has no warnings");
        metrics.warn("lock.type is dry-run: decisions are logged but the door is never opened");
        assertEquals("lock.type is dry-run: decisions are logged but the door is never opened",
                TestClient.body(anonymous.get("/healthz")).get("warnings").get(0).asText());
        assertEquals(200, anonymous.get("/").statusCode());
        assertEquals(200, anonymous.get("/app.js").statusCode());
        assertTrue(anonymous.get("/openapi.yaml").body().startsWith("openapi:"));

        HttpResponse<String> noToken = anonymous.get("/api/ping");
        assertError(noToken, 401);
        assertEquals("Bearer realm=\"doorman\"", noToken.headers().firstValue("WWW-Authenticate").orElse(""));
        assertError(anonymous.get("/metrics"), 401);
        assertError(anonymous.get("/api/not-a-route"), 401); // unknown routes do not reveal themselves either

        assertEquals(200, client.get("/api/ping").statusCode());
        HttpResponse<String> scrape = client.get("/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(scrape.body().contains("doorman_decisions_total{action=\"accept\"} 1"), scrape.body());
        assertTrue(scrape.body().contains("doorman_http_auth_failures_total 3"), scrape.body());
        assertError(client.get("/api/not-a-route"), 404);
    }

    @Test
    void theSchemeIsCaseInsensitiveButOtherSchemesFail() throws IOException {
        start(ApiSettings.of("127.0.0.1", 0));
        String token = Files.readString(dir.resolve(ApiToken.FILE_NAME)).strip();
        TestClient raw = client.withToken(null);
        var lower = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/ping"))
                .header("Authorization", "bearer " + token).build();
        var basic = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/ping"))
                .header("Authorization", "Basic " + token).build();
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            assertEquals(200, http.send(lower, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, http.send(basic, HttpResponse.BodyHandlers.ofString()).statusCode());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertNotNull(raw);
    }

    @Test
    void repeatedWrongTokensAreLimitedButTheRightTokenAlwaysPasses() throws IOException {
        List<String> audited = new java.util.concurrent.CopyOnWriteArrayList<>();
        startAudited(ApiSettings.of("127.0.0.1", 0), audited);
        TestClient wrong = client.withToken("not-the-token");
        for (int i = 0; i < 5; i++) assertError(wrong.get("/api/ping"), 401);

        HttpResponse<String> limited = wrong.get("/api/ping");
        assertError(limited, 429);
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);

        assertEquals(200, client.get("/api/ping").statusCode(), "the owner, from the same address, still gets in");
        assertEquals(200, client.withToken(null).get("/healthz").statusCode(), "open routes stay open");
        assertEquals(1, audited.size(), audited.toString());
        assertTrue(audited.get(0).contains("127.0.0.1") && !audited.get(0).contains("not-the-token"), audited.get(0));
    }

    /** The attack of the red-team: a web page firing tokenless requests and preflights, plus a guessing loop. */
    @Test
    void anAttackerPageAndAGuessingLoopCannotLockTheOwnerOut() throws Exception {
        List<String> audited = new java.util.concurrent.CopyOnWriteArrayList<>();
        startAudited(ApiSettings.of("127.0.0.1", 0), audited);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        int ownerOk = 0;
        int guessesLooked = 0;
        int guessesRefused = 0;
        for (int round = 0; round < 40; round++) {
            // the page: an <img> request without a token, and a CORS preflight
            assertError(client.withToken(null).get("/api/people"), 401);
            java.net.http.HttpRequest preflight = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/ping"))
                    .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "DELETE").build();
            assertNotEquals(200, http.send(preflight, HttpResponse.BodyHandlers.ofString()).statusCode());
            // the loop: three guesses a round
            for (int g = 0; g < 3; g++) {
                int status = client.withToken("guess-" + round + "-" + g).get("/api/ping").statusCode();
                if (status == 401) guessesLooked++;
                else if (status == 429) guessesRefused++;
                else fail("a guess got " + status);
            }
            if (client.get("/api/ping").statusCode() == 200) ownerOk++;
        }
        assertEquals(40, ownerOk, "every request of the owner succeeds");
        assertEquals(5, guessesLooked, "only five guesses are looked at within the window");
        assertEquals(115, guessesRefused);
        assertEquals(1, audited.size(), "one audit line per lockout, not per guess: " + audited);
    }

    @Test
    void requestsJettyRefusesBeforeJavalinGetTheSameJsonErrors() throws IOException {
        start(ApiSettings.of("127.0.0.1", 0));
        for (String raw : new String[]{"GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"}) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                int status = Integer.parseInt(answer.substring(9, 12));
                assertTrue(status == 400 || status == 431, answer);
                assertTrue(answer.contains("application/json"), answer);
                assertTrue(answer.contains("\"status\":" + status), answer);
            }
        }
    }

    @Test
    void responsesCarrySecurityHeaders() throws IOException {
        start(ApiSettings.of("127.0.0.1", 0));
        HttpResponse<String> page = client.withToken(null).get("/");
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals("text/html;charset=utf-8", page.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        assertEquals("no-store", client.get("/api/ping").headers().firstValue("Cache-Control").orElse(""));
    }
}
