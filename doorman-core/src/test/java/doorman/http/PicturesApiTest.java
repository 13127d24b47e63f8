package doorman.http;

import com.fasterxml.jackson.databind.JsonNode;
import doorman.MutableClock;
import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.camera.OpenCv;
import doorman.config.AuditConfig;
import doorman.metrics.Metrics;
import doorman.pictures.SnapshotStoreTest;
import doorman.pictures.SnapshotStore;
import doorman.policy.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The picture routes over real HTTP on loopback: enrolled faces' thumbnails (real pipeline on an LFW photo, real
 * gallery), refused visits' snapshots (real audit log and snapshot store) and the door camera's live view (MJPEG).
 * Each needs the token, answers 404 for what does not exist, and is never cached.
 */
class PicturesApiTest {

    @TempDir
    Path dir;

    @Test
    void anEnrolledFaceHasASealedThumbnailThatGoesWithThePerson() {
        try (ApiFixture api = ApiFixture.start(dir.resolve("data"))) {
            TestClient client = api.client;
            long ada = created(client.json("POST", "/api/people", "{\"name\": \"Ada\"}"));
            long bob = created(client.json("POST", "/api/people", "{\"name\": \"Bob\"}"));
            assertTrue(TestClient.body(client.get("/api/people/" + ada)).get("thumbnailFace").isNull(), "no face, no picture");
            HttpResponse<String> added = client.image("/api/people/" + ada + "/faces", "image/jpeg", ApiFixture.photo(EnrollmentApiTest.AARON_1));
            assertEquals(201, added.statusCode(), added.body());
            JsonNode face = TestClient.body(added);
            long faceId = face.get("id").asLong();
            assertTrue(face.get("thumbnail").asBoolean());
            assertEquals(faceId, TestClient.body(client.get("/api/people/" + ada)).get("thumbnailFace").asLong());
            assertEquals(faceId, TestClient.body(client.get("/api/people")).get(0).get("thumbnailFace").asLong());
            assertTrue(TestClient.body(client.get("/api/people/" + ada + "/faces")).get(0).get("thumbnail").asBoolean());
            // a face enrolled without a picture (before thumbnails, or with them off) says so and has none to serve
            long bare = api.gallery.addTemplate(bob, api.gallery.template(faceId).orElseThrow().embedding(),
                    api.pipeline.encoderName(), "b".repeat(64), 0.9).id();
            JsonNode bareFace = TestClient.body(client.get("/api/people/" + bob + "/faces")).get(0);
            assertFalse(bareFace.get("thumbnail").asBoolean(true), bareFace.toString());
            assertTrue(TestClient.body(client.get("/api/people/" + bob)).get("thumbnailFace").isNull());
            assertEquals(404, client.get("/api/people/" + bob + "/faces/" + bare + "/thumbnail").statusCode());

            String path = "/api/people/" + ada + "/faces/" + faceId + "/thumbnail";
            HttpResponse<byte[]> picture = bytes(api.server.baseUrl() + path, api.token);
            assertEquals(200, picture.statusCode());
            assertEquals("image/jpeg", picture.headers().firstValue("Content-Type").orElse(""));
            assertEquals("no-store", picture.headers().firstValue("Cache-Control").orElse(""));
            Mat decoded = decode(picture.body());
            try {
                assertEquals(112, decoded.cols(), "the aligned face");
                assertEquals(112, decoded.rows());
            } finally {
                decoded.release();
            }
            assertTrue(picture.body().length < 16_000, "a few KB, got " + picture.body().length);
            assertArrayEquals(picture.body(), api.gallery.thumbnail(faceId).orElseThrow());

            assertEquals(401, client.withToken(null).get(path).statusCode());
            assertEquals(401, client.withToken("wrong").get(path).statusCode());
            assertEquals(404, client.get("/api/people/" + bob + "/faces/" + faceId + "/thumbnail").statusCode(), "not Bob's face");
            assertEquals(404, client.get("/api/people/" + ada + "/faces/" + (faceId + 1) + "/thumbnail").statusCode());
            assertEquals(404, client.get("/api/people/999/faces/" + faceId + "/thumbnail").statusCode());
            assertEquals(400, client.get("/api/people/" + ada + "/faces/x/thumbnail").statusCode());

            assertEquals(204, client.delete("/api/people/" + ada).statusCode());
            HttpResponse<String> gone = client.get(path);
            assertEquals(404, gone.statusCode());
            assertTrue(TestClient.body(gone).get("error").asText().contains("no person"), gone.body());
            assertTrue(api.gallery.thumbnail(faceId).isEmpty(), "removed with the person");
            assertTrue(api.gallery.templatesWithThumbnails().isEmpty());
        }
    }

    @Test
    void aRefusedVisitsSnapshotIsListedAndServedToTheOwnerOnly() throws IOException {
        Path data = dir.resolve("data");
        MutableClock clock = new MutableClock(Instant.now());
        try (AuditLog audit = AuditLog.open(data, new AuditConfig(30, 1000), Clock.systemUTC())) {
            SnapshotStore store = SnapshotStore.open(data, 7, clock, audit::contains);
            AuditEvent stranger = audit.record(new AuditEvent(0, clock.instant(), Action.STRANGER_EVENT, null, null,
                    1.5, 0.01, 0.9, "ok", "unknown face at the door"));
            AuditEvent other = audit.record(new AuditEvent(0, clock.instant(), Action.STRANGER_EVENT, null, null,
                    1.5, 0.01, 0.9, "ok", "unknown face at the door"));
            byte[] jpeg = SnapshotStoreTest.faceJpeg();
            store.put(stranger.id(), stranger.time(), jpeg);
            ApiToken token = ApiToken.loadOrCreate(data, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            String secret = Files.readString(data.resolve(ApiToken.FILE_NAME)).strip();
            try (ApiServer server = ApiServer.start(ApiSettings.of("127.0.0.1", 0), token, new Metrics(),
                    List.of(new EventRoutes(audit, store::has), new SnapshotRoutes(store)))) {
                TestClient client = new TestClient(server.baseUrl(), secret);
                JsonNode events = TestClient.body(client.get("/api/events")).get("events");
                assertEquals(other.id(), events.get(0).get("id").asLong());
                assertFalse(events.get(0).get("snapshot").asBoolean());
                assertTrue(events.get(1).get("snapshot").asBoolean());

                String path = "/api/events/" + stranger.id() + "/snapshot";
                HttpResponse<byte[]> picture = bytes(server.baseUrl() + path, secret);
                assertEquals(200, picture.statusCode());
                assertEquals("image/jpeg", picture.headers().firstValue("Content-Type").orElse(""));
                assertEquals("no-store", picture.headers().firstValue("Cache-Control").orElse(""));
                assertArrayEquals(jpeg, picture.body());

                assertEquals(401, client.withToken(null).get(path).statusCode());
                assertEquals(404, client.get("/api/events/" + other.id() + "/snapshot").statusCode());
                assertEquals(404, client.get("/api/events/424242/snapshot").statusCode());
                assertEquals(400, client.get("/api/events/-3/snapshot").statusCode());

                clock.advance(Duration.ofDays(8)); // past pictures.snapshot-days
                assertEquals(404, client.get(path).statusCode());
                assertFalse(TestClient.body(client.get("/api/events")).get("events").get(1).get("snapshot").asBoolean());
            }
        }
    }

    @Test
    void theLiveViewStreamsTheDoorCameraAndStopsWhenTheViewerLeaves() throws Exception {
        OpenCv.load();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Mat door = new Mat(480, 640, CvType.CV_8UC3, new Scalar(40, 120, 200));
        DoorCamera camera = () -> Optional.of(door.clone());
        PreviewRoutes preview = new PreviewRoutes(camera);
        ApiToken token = ApiToken.loadOrCreate(data, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String secret = Files.readString(data.resolve(ApiToken.FILE_NAME)).strip();
        HttpClient http = HttpClient.newHttpClient();
        try (ApiServer server = ApiServer.start(ApiSettings.of("127.0.0.1", 0), token, new Metrics(), List.of(preview))) {
            URI uri = URI.create(server.baseUrl() + "/api/door/camera");
            assertEquals(401, http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode());

            HttpResponse<InputStream> first = stream(http, uri, secret);
            assertEquals(200, first.statusCode());
            assertEquals("multipart/x-mixed-replace; boundary=" + PreviewRoutes.BOUNDARY,
                    first.headers().firstValue("Content-Type").orElse(""));
            assertEquals("no-store", first.headers().firstValue("Cache-Control").orElse(""));
            byte[] jpeg = firstPart(first.body());
            Mat frame = decode(jpeg);
            try {
                assertEquals(PreviewRoutes.WIDTH, frame.cols(), "downscaled");
                assertEquals(240, frame.rows());
            } finally {
                frame.release();
            }

            HttpResponse<InputStream> second = stream(http, uri, secret);
            assertEquals(200, second.statusCode());
            HttpResponse<String> third = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + secret).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(429, third.statusCode(), "two streams at most: each holds a server thread");
            assertTrue(third.body().contains("\"error\""));

            first.body().close();
            second.body().close();
            // the server notices at its next write (a frame gap later); bounded wait, not a fixed sleep
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (preview.openStreams() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(0, preview.openStreams(), "the streams ended when their viewers left");
        } finally {
            door.release();
        }
    }

    @Test
    void withoutACameraTheLiveViewIs503() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        ApiToken token = ApiToken.loadOrCreate(data, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String secret = Files.readString(data.resolve(ApiToken.FILE_NAME)).strip();
        try (ApiServer server = ApiServer.start(ApiSettings.of("127.0.0.1", 0), token, new Metrics(), List.of(new PreviewRoutes(null)))) {
            HttpResponse<String> r = new TestClient(server.baseUrl(), secret).get("/api/door/camera");
            assertEquals(503, r.statusCode());
            assertTrue(TestClient.body(r).get("error").asText().contains("doorman serve"), r.body());
        }
    }

    private static long created(HttpResponse<String> r) {
        assertEquals(201, r.statusCode(), r.body());
        return TestClient.body(r).get("id").asLong();
    }

    private static HttpResponse<InputStream> stream(HttpClient http, URI uri, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The first JPEG of a multipart/x-mixed-replace body, by its Content-Length. */
    private static byte[] firstPart(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertNotEquals(-1, c, "the stream ended before its first part");
            head.append((char) c);
        }
        assertTrue(head.toString().startsWith("--" + PreviewRoutes.BOUNDARY + "\r\n"), head.toString());
        assertTrue(head.toString().contains("Content-Type: image/jpeg"), head.toString());
        int length = Integer.parseInt(head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return in.readNBytes(length);
    }

    private static HttpResponse<byte[]> bytes(String url, String token) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Mat decode(byte[] jpeg) {
        OpenCv.load();
        MatOfByte buffer = new MatOfByte(jpeg);
        try {
            Mat m = Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_COLOR);
            assertFalse(m.empty(), "a JPEG");
            return m;
        } finally {
            buffer.release();
        }
    }
}
