package doorman.http;

import com.fasterxml.jackson.databind.JsonNode;
import doorman.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Request bodies on a real server: read late, read in parts, or never sent in full. */
class BodyPaceApiTest {

    record Named(String name) {
    }

    @TempDir
    Path dir;
    private ApiServer server;
    private TestClient client;
    private String secret;

    @BeforeEach
    void start() throws Exception {
        ApiToken token = ApiFixture.quietToken(dir);
        secret = Files.readString(dir.resolve(ApiToken.FILE_NAME)).strip();
        List<Routes.Group> groups = List.of(routes -> {
            RequestBodies bodies = routes.bodies();
            routes.post("/api/late", ctx -> {
                // the handler is busy before it reads, as on a loaded board; the body has long arrived by then
                Thread.sleep(300);
                ctx.json(bodies.json(ctx, Named.class));
            });
            routes.post("/api/parts", ctx -> {
                String note = bodies.multipartField(ctx, "note");
                byte[] image = bodies.image(ctx, "image");
                byte[] other = bodies.optionalMultipartImage(ctx, "other");
                String again = bodies.multipartField(ctx, "note");
                ctx.json(Map.of("note", String.valueOf(note), "again", String.valueOf(again), "image", image.length,
                        "other", other == null ? -1 : other.length));
            });
        });
        server = ApiServer.start(ApiSettings.of("127.0.0.1", 0), token, new Metrics(), groups);
        client = new TestClient(server.baseUrl(), secret);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void aSmallJsonBodyReadWellAfterItArrivedIsAccepted() {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = client.json("POST", "/api/late", "{\"name\":\"Grace Hopper " + i + "\"}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("Grace Hopper " + i, TestClient.body(r).get("name").asText());
        }
    }

    @Test
    void aSmallJsonBodyWhoseSecondHalfComesLaterIsAccepted() throws Exception {
        // Jetty's minimum data rate, counted from the first byte read, answered this 408 (25 bytes < 4096 B/s x 0.3 s);
        // a pause between two reads of a tiny body is also what a thread descheduled on a loaded board sees
        String json = "{\"name\":\"Grace Hopper\"}";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/late HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length() + "\r\nConnection: close\r\n\r\n"
                    + json.substring(0, 10)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(600); // lets the handler read the first half; either way the body must be accepted
            out.write(json.substring(10).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.endsWith(json), answer);
        }
    }

    @Test
    void everyPartOfAMultipartBodyComesFromOneRead() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4};
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 9};
        HttpResponse<String> r = client.multipart("/api/parts", new java.util.TreeMap<>(Map.of("image", jpeg, "other", png)),
                Map.of("note", "front door"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = TestClient.body(r);
        assertEquals("front door", body.get("note").asText());
        assertEquals("front door", body.get("again").asText());
        assertEquals(jpeg.length, body.get("image").asInt());
        assertEquals(png.length, body.get("other").asInt());

        HttpResponse<String> without = client.multipart("/api/parts", Map.of("image", jpeg), Map.of());
        assertEquals(200, without.statusCode(), without.body());
        assertEquals(-1, TestClient.body(without).get("other").asInt());
        assertEquals("null", TestClient.body(without).get("note").asText());
    }

    @Test
    void malformedMultipartBodiesAreClear4xx() {
        String head = "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n";
        assertError(400, "malformed multipart body", client.send("POST", "/api/parts", "multipart/form-data; boundary=b",
                (head + "\u00ff\u00d8\u00ff and then the body just stops").getBytes(StandardCharsets.ISO_8859_1)));
        assertError(400, "without a boundary", client.send("POST", "/api/parts", "multipart/form-data",
                (head + "x\r\n--b--\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < MultipartBody.MAX_PARTS + 1; i++)
            many.append("--b\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nv\r\n");
        many.append("--b--\r\n");
        assertError(400, "more than " + MultipartBody.MAX_PARTS + " parts", client.send("POST", "/api/parts",
                "multipart/form-data; boundary=b", many.toString().getBytes(StandardCharsets.US_ASCII)));
        String longHeader = "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\nX-Pad: "
                + "p".repeat(MultipartBody.MAX_PART_HEADER_BYTES) + "\r\n\r\nx\r\n--b--\r\n";
        assertError(400, "headers are longer", client.send("POST", "/api/parts", "multipart/form-data; boundary=b",
                longHeader.getBytes(StandardCharsets.US_ASCII)));
        assertError(400, "no file field 'image'", client.send("POST", "/api/parts", "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(200, client.get("/healthz").statusCode());
    }

    @Test
    void aBodyThatStopsIsAnswered408WhenTheReadTimesOut() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) ApiServer.BODY_READ_TIMEOUT_MS + 20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/late HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret
                    + "\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"name\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // nothing more is sent; the server's read gives up after its idle timeout
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
            assertTrue(answer.contains("\"error\":\"" + BodyReader.TOO_SLOW + "\""), answer);
        }
        assertEquals(200, client.get("/healthz").statusCode(), "still answering");
    }

    private static void assertError(int status, String part, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        String error = TestClient.body(r).get("error").asText();
        assertTrue(error.contains(part), error);
    }
}
