package doorman.http;

import com.fasterxml.jackson.databind.JsonNode;
import doorman.vision.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Enrollment uploads through the default quality gate: each refusal is a 422 that names its reason, and a clean
 * frontal photo goes through. The degraded photos are made from one that passes. An uploaded file is not a
 * presentation to the camera, so it is not liveness-checked ({@link CaptureLivenessApiTest} covers the camera).
 */
class EnrollmentGateApiTest {

    /** Frontal, sharp, evenly lit. */
    static final String GOOD = "lfw-train/Abdullah_al-Attiyah/Abdullah_al-Attiyah_0002.jpg";
    /** A press scan, which the old FaceAntiSpoofing model called an attack. */
    static final String SCANNED = "lfw-train/Aaron_Peirsol/Aaron_Peirsol_0003.jpg";

    @TempDir
    static Path dir;
    static ApiFixture api;
    static long person;

    @BeforeAll
    static void start() {
        api = ApiFixture.startStrict(dir.resolve("data"));
        person = TestClient.body(api.client.json("POST", "/api/people", "{\"name\":\"Gated\"}")).get("id").asLong();
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    static HttpResponse<String> upload(byte[] jpeg) {
        return api.client.image("/api/people/" + person + "/faces", "image/jpeg", jpeg);
    }

    /** The good photo, changed by {@code edit}, as JPEG. */
    static byte[] edited(UnaryOperator<Mat> edit) {
        Mat original = ImageDecoder.decode(ApiFixture.photo(GOOD));
        Mat changed = edit.apply(original);
        MatOfByte out = new MatOfByte();
        try {
            assertTrue(Imgcodecs.imencode(".jpg", changed, out));
            return out.toArray();
        } finally {
            original.release();
            changed.release();
            out.release();
        }
    }

    static void assertRefused(HttpResponse<String> r, String reason) {
        assertEquals(422, r.statusCode(), r.body());
        JsonNode body = TestClient.body(r);
        assertTrue(body.get("error").asText().contains(reason), "'" + reason + "' not in " + r.body());
    }

    @Test
    void aCleanFrontalPhotoIsEnrolled() {
        HttpResponse<String> r = upload(ApiFixture.photo(GOOD));
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(api.client.get("/metrics").body().contains("doorman_api_stage_seconds_count{stage=\"enroll\"}"));
    }

    @Test
    void aSmallFaceIsRefused() {
        assertRefused(upload(edited(m -> {
            Mat small = new Mat();
            Imgproc.resize(m, small, new Size(100, 100), 0, 0, Imgproc.INTER_AREA); // eyes about 18 px apart
            return small;
        })), "face too small");
    }

    @Test
    void aBlurredPhotoIsRefused() {
        assertRefused(upload(edited(m -> {
            Mat blurred = new Mat();
            Imgproc.GaussianBlur(m, blurred, new Size(0, 0), 1.5); // stronger blur makes the detector see ghosts
            return blurred;
        })), "blurry");
    }

    @Test
    void aDarkPhotoIsRefused() {
        assertRefused(upload(edited(m -> {
            Mat dark = new Mat();
            m.convertTo(dark, -1, 0.2, 0);
            return dark;
        })), "too dark");
    }

    @Test
    void anUploadedFileIsNotLivenessChecked() {
        HttpResponse<String> r = upload(ApiFixture.photo(SCANNED));
        assertEquals(201, r.statusCode(), r.body());
        assertFalse(api.client.get("/metrics").body().contains("doorman_enrollments_refused_total{reason=\"spoof\"}"));
    }
}
