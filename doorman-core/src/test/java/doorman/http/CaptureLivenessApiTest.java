package doorman.http;

import com.fasterxml.jackson.databind.JsonNode;
import doorman.vision.ImageDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enrollment from the door camera goes through the liveness check over several frames: NUAA webcam frames of a
 * live person enroll, NUAA frames of a printed photo held to the same webcam are refused as a spoof with the score.
 */
class CaptureLivenessApiTest {

    static final String LIVE = "spoof-dev/nuaa-train/live/0001_0001_00_00_01_0.jpg";
    static final String PRINT = "spoof-dev/nuaa-train/spoof/0001_0001_00_00_01_0.jpg";

    @TempDir
    Path dir;
    ApiFixture api;

    @AfterEach
    void stop() {
        if (api != null) api.close();
    }

    /** A camera that always shows one image and counts how often it was asked. */
    private static DoorCamera showing(String relative, AtomicInteger asked) {
        byte[] jpeg = ApiFixture.photo(relative);
        return () -> {
            asked.incrementAndGet();
            Mat frame = ImageDecoder.decode(jpeg);
            return Optional.of(frame);
        };
    }

    private HttpResponse<String> capture(String image, AtomicInteger asked) {
        api = ApiFixture.startStrict(dir.resolve("data"), showing(image, asked));
        long person = TestClient.body(api.client.json("POST", "/api/people", "{\"name\":\"At the door\"}")).get("id").asLong();
        return api.client.json("POST", "/api/people/" + person + "/faces/capture", "");
    }

    @Test
    void aLivePersonAtTheDoorIsEnrolled() {
        AtomicInteger asked = new AtomicInteger();
        HttpResponse<String> r = capture(LIVE, asked);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(FaceRoutes.CAPTURE_FRAMES, asked.get(), "capture looks at several frames");
    }

    @Test
    void aPrintedPhotoHeldToTheCameraIsRefusedAsASpoof() {
        HttpResponse<String> r = capture(PRINT, new AtomicInteger());
        assertEquals(422, r.statusCode(), r.body());
        JsonNode body = TestClient.body(r);
        assertTrue(body.get("error").asText().contains("printed photo or a screen"), r.body());
        assertTrue(body.get("error").asText().contains("live score"), r.body());
        assertTrue(api.client.get("/metrics").body().contains("doorman_enrollments_refused_total{reason=\"spoof\"}"));
    }
}
