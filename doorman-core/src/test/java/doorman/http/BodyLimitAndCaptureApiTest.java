package doorman.http;

import doorman.vision.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Oversized bodies however they are sent, and enrollment from the door camera while the daemon runs. */
class BodyLimitAndCaptureApiTest {

    static final long LIMIT = 200_000;

    @TempDir
    Path dir;

    /** A door camera whose newest frame is a real photo, handed out as a fresh copy per call like the daemon's. */
    static final class PhotoCamera implements DoorCamera {
        final byte[] photo;
        final AtomicInteger frames = new AtomicInteger();
        volatile boolean dark;

        PhotoCamera(byte[] photo) {
            this.photo = photo;
        }

        @Override
        public Optional<Mat> latestFrame() {
            if (dark) return Optional.empty();
            frames.incrementAndGet();
            return Optional.of(ImageDecoder.decode(photo));
        }
    }

    @Test
    void bodiesOverTheLimitAre413WhetherDeclaredChunkedOrMultipart() throws Exception {
        try (ApiFixture api = ApiFixture.start(dir.resolve("data"), ApiSettings.of("127.0.0.1", 0).withMaxBodyBytes(LIMIT), null)) {
            long id = TestClient.body(api.client.json("POST", "/api/people", "{\"name\":\"Big\"}")).get("id").asLong();
            byte[] huge = Arrays.copyOf(ApiFixture.photo(EnrollmentApiTest.AARON_1), (int) LIMIT + 5000);
            String faces = "/api/people/" + id + "/faces";

            HttpResponse<String> declared = api.client.image(faces, "image/jpeg", huge);
            assertEquals(413, declared.statusCode(), declared.body());
            assertEquals(413, TestClient.body(declared).get("status").asInt());

            // no Content-Length: the limit must hold while reading
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(api.server.baseUrl() + faces))
                    .header("Authorization", "Bearer " + api.token).header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build();
            HttpResponse<String> streamed = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, streamed.statusCode(), streamed.body());

            HttpResponse<String> multipart = api.client.multipart(faces, Map.of("image", huge), Map.of());
            assertEquals(413, multipart.statusCode(), multipart.body());

            assertEquals(0, api.gallery.templates(id).size());
            assertEquals(200, api.client.get("/healthz").statusCode());
            // a photo under the limit still goes through on the same server
            assertEquals(201, api.client.image(faces, "image/jpeg", ApiFixture.photo(EnrollmentApiTest.AARON_1)).statusCode());
        }
    }

    @Test
    void captureEnrollsTheDoorCamerasFrame() {
        PhotoCamera camera = new PhotoCamera(ApiFixture.photo(EnrollmentApiTest.ABEL_1));
        try (ApiFixture api = ApiFixture.start(dir.resolve("data"), ApiSettings.of("127.0.0.1", 0), camera)) {
            long id = TestClient.body(api.client.json("POST", "/api/people", "{\"name\":\"At The Door\"}")).get("id").asLong();
            HttpResponse<String> r = api.client.send("POST", "/api/people/" + id + "/faces/capture", null, null);
            assertEquals(201, r.statusCode(), r.body());
            assertEquals(FaceRoutes.CAPTURE_FRAMES, camera.frames.get(), "capture checks several frames for liveness");
            assertEquals(1, api.gallery.templates(id).size());

            // the same frame twice is the same picture
            assertEquals(409, api.client.send("POST", "/api/people/" + id + "/faces/capture", null, null).statusCode());

            camera.dark = true;
            HttpResponse<String> noFrame = api.client.send("POST", "/api/people/" + id + "/faces/capture", null, null);
            assertEquals(409, noFrame.statusCode(), noFrame.body());
            assertTrue(TestClient.body(noFrame).get("error").asText().contains("no recent frame"));
        }
    }
}
