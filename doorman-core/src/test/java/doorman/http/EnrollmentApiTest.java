package doorman.http;

import com.fasterxml.jackson.databind.JsonNode;
import doorman.vision.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** The people, faces, verify and identify endpoints over real HTTP, on the real pipeline and gallery. */
class EnrollmentApiTest {

    // LFW photos in which BlazeFace finds exactly one face
    static final String AARON_1 = "lfw-train/Aaron_Peirsol/Aaron_Peirsol_0001.jpg";
    static final String AARON_2 = "lfw-train/Aaron_Peirsol/Aaron_Peirsol_0002.jpg";
    static final String ABDULLAH_1 = "lfw-train/Abdullah/Abdullah_0001.jpg";
    static final String ADAM_1 = "lfw-train/Adam_Sandler/Adam_Sandler_0001.jpg";
    static final String ADAM_2 = "lfw-train/Adam_Sandler/Adam_Sandler_0004.jpg";
    static final String ABEL_1 = "lfw-train/Abel_Pacheco/Abel_Pacheco_0001.jpg";
    static final String GROUP = "samples/bbt/_group_photos/bbt1.jpg";

    @TempDir
    static Path dir;
    static ApiFixture api;
    static TestClient client;

    @BeforeAll
    static void start() {
        api = ApiFixture.start(dir.resolve("data"));
        client = api.client;
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    static long createPerson(String name) {
        HttpResponse<String> r = client.json("POST", "/api/people", "{\"name\":\"" + name + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        long id = TestClient.body(r).get("id").asLong();
        assertEquals("/api/people/" + id, r.headers().firstValue("Location").orElse(""));
        return id;
    }

    static void assertError(HttpResponse<String> r, int status, String messagePart) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = TestClient.body(r);
        assertEquals(status, body.get("status").asInt(), r.body());
        assertTrue(body.get("error").asText().toLowerCase().contains(messagePart.toLowerCase()),
                "'" + messagePart + "' not in: " + r.body());
    }

    /** The shared photo re-encoded as PNG, to exercise the PNG path with a real face. */
    static byte[] pngOf(String path) {
        Mat m = ImageDecoder.decode(ApiFixture.photo(path));
        MatOfByte out = new MatOfByte();
        try {
            assertTrue(Imgcodecs.imencode(".png", m, out));
            return out.toArray();
        } finally {
            m.release();
            out.release();
        }
    }

    static byte[] blankPng() {
        Mat grey = new Mat(240, 320, CvType.CV_8UC3, new Scalar(128, 128, 128));
        MatOfByte out = new MatOfByte();
        try {
            Imgcodecs.imencode(".png", grey, out);
            return out.toArray();
        } finally {
            grey.release();
            out.release();
        }
    }

    @Test
    void peopleCanBeCreatedListedRenamedDisabledAndDeleted() {
        long id = createPerson("Ada Lovelace");
        JsonNode list = TestClient.body(client.get("/api/people"));
        assertTrue(list.isArray());
        assertTrue(list.toString().contains("\"Ada Lovelace\""), list.toString());

        JsonNode renamed = TestClient.body(client.json("PATCH", "/api/people/" + id, "{\"name\":\"Ada King\"}"));
        assertEquals("Ada King", renamed.get("name").asText());
        assertTrue(renamed.get("enabled").asBoolean());
        JsonNode disabled = TestClient.body(client.json("PATCH", "/api/people/" + id, "{\"enabled\":false}"));
        assertFalse(disabled.get("enabled").asBoolean());
        assertEquals("Ada King", TestClient.body(client.get("/api/people/" + id)).get("name").asText());

        assertError(client.json("POST", "/api/people", "{\"name\":\"ada king\"}"), 409, "");
        assertEquals(204, client.delete("/api/people/" + id).statusCode());
        assertError(client.get("/api/people/" + id), 404, "no person");
        assertError(client.delete("/api/people/" + id), 404, "no person");
    }

    @Test
    void malformedRequestsGetA4xxThatSaysWhatIsWrong() {
        assertError(client.send("POST", "/api/people", null, "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)), 415, "application/json");
        assertError(client.send("POST", "/api/people", "text/plain", "name=x".getBytes(StandardCharsets.UTF_8)), 415, "application/json");
        assertError(client.json("POST", "/api/people", "{\"name\":"), 400, "malformed");
        assertError(client.json("POST", "/api/people", "{\"name\":\"x\"} trailing"), 400, "");
        assertError(client.json("POST", "/api/people", "{\"nam\":\"x\"}"), 400, "unknown field 'nam'");
        assertError(client.json("POST", "/api/people", "[]"), 400, "");
        assertError(client.json("POST", "/api/people", "null"), 400, "");
        assertError(client.json("POST", "/api/people", ""), 400, "empty");
        assertError(client.json("POST", "/api/people", "{}"), 400, "'name' is required");
        assertError(client.json("POST", "/api/people", "{\"name\":\"   \"}"), 400, "name");
        assertError(client.json("POST", "/api/people", "{\"name\":\"a\\u0000b\"}"), 400, "name");
        assertError(client.json("POST", "/api/people", "{\"name\":\"" + "x".repeat(70_000) + "\"}"), 413, "larger");
        assertError(client.json("PATCH", "/api/people/1", "{}"), 400, "nothing to change");
        assertError(client.json("PATCH", "/api/people/1", "{\"enabled\":\"maybe\"}"), 400, "enabled");
        assertError(client.get("/api/people/abc"), 400, "id must be");
        assertError(client.get("/api/people/-4"), 400, "id must be");
        assertError(client.get("/api/people/99999999999999999999"), 400, "id must be");
        assertError(client.get("/api/people/424242"), 404, "no person");
        assertError(client.get("/api/people/424242/faces"), 404, "no person");
        assertError(client.image("/api/people/424242/faces", "image/jpeg", ApiFixture.photo(AARON_1)), 404, "no person");
        assertError(client.delete("/api/people/424242/faces/1"), 404, "");
        assertError(client.send("PUT", "/api/people", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 404, "");
    }

    @Test
    void photosEnrollAsRawBodiesOrMultipartAndCanBeRemoved() {
        long id = createPerson("Aaron");
        HttpResponse<String> raw = client.image("/api/people/" + id + "/faces", "image/jpeg", ApiFixture.photo(AARON_1));
        assertEquals(201, raw.statusCode(), raw.body());
        JsonNode face = TestClient.body(raw);
        assertEquals(id, face.get("personId").asLong());
        assertEquals("doorman-128", face.get("encoder").asText());
        assertEquals(64, face.get("sha256").asText().length());

        HttpResponse<String> multipart = client.multipart("/api/people/" + id + "/faces",
                Map.of("image", pngOf(AARON_2)), Map.of());
        assertEquals(201, multipart.statusCode(), multipart.body());
        long second = TestClient.body(multipart).get("id").asLong();

        assertEquals(2, TestClient.body(client.get("/api/people/" + id + "/faces")).size());
        assertEquals(2, TestClient.body(client.get("/api/people/" + id)).get("faces").asInt());
        assertEquals(2, api.gallery.templates(id).size(), "stored in the gallery itself");

        assertError(client.image("/api/people/" + id + "/faces", "image/png", pngOf(AARON_2)), 409, "already");

        long other = createPerson("Someone Else");
        assertError(client.delete("/api/people/" + other + "/faces/" + second), 404, "");
        assertEquals(204, client.delete("/api/people/" + id + "/faces/" + second).statusCode());
        assertEquals(1, api.gallery.templates(id).size());

        assertEquals(204, client.delete("/api/people/" + id).statusCode());
        assertTrue(api.gallery.templates().stream().noneMatch(t -> t.personId() == id), "templates go with the person");
    }

    @Test
    void unusablePhotosAreRefusedWithTheReason() {
        long id = createPerson("Refusals");
        String faces = "/api/people/" + id + "/faces";
        assertError(client.image(faces, "image/jpeg", ApiFixture.photo(GROUP)), 422, "faces in the photo");
        assertError(client.image(faces, "image/png", blankPng()), 422, "no face");
        assertError(client.image(faces, "image/jpeg", "definitely not a photo".getBytes(StandardCharsets.UTF_8)), 415, "neither");
        byte[] jpeg = ApiFixture.photo(AARON_1);
        assertError(client.image(faces, "image/jpeg", Arrays.copyOf(jpeg, 40)), 400, "unusable image");
        assertError(client.image(faces, "image/jpeg", new byte[0]), 400, "empty");
        assertError(client.image(faces, "text/plain", jpeg), 415, "multipart");
        assertError(client.image(faces, null, jpeg), 415, "");
        assertError(client.multipart(faces, Map.of("photo", jpeg), Map.of()), 400, "no file field 'image'");
        assertError(client.send("POST", faces, "multipart/form-data; boundary=xyz", "--xyz\r\ngarbage".getBytes(StandardCharsets.UTF_8)), 400, "multipart");
        assertEquals(0, api.gallery.templates(id).size(), "nothing stored");
        assertTrue(client.get("/metrics").body().contains("doorman_enrollments_refused_total{reason=\"several-faces\"} 1"));
    }

    @Test
    void captureNeedsTheDaemonsCamera() {
        long id = createPerson("Camera Shy");
        assertError(client.send("POST", "/api/people/" + id + "/faces/capture", null, null), 409, "no camera in serve mode");
        assertError(client.send("POST", "/api/people/424242/faces/capture", null, null), 404, "no person");
    }

    @Test
    void verifyComparesAPhotoWithAPersonOrWithAnotherPhoto() {
        long aaron = createPerson("Aaron V");
        assertEquals(201, client.image("/api/people/" + aaron + "/faces", "image/jpeg", ApiFixture.photo(AARON_1)).statusCode());

        JsonNode same = TestClient.body(client.image("/api/verify?person=" + aaron, "image/jpeg", ApiFixture.photo(AARON_2)));
        JsonNode other = TestClient.body(client.image("/api/verify?person=" + aaron, "image/jpeg", ApiFixture.photo(ABDULLAH_1)));
        JsonNode exact = TestClient.body(client.image("/api/verify?person=" + aaron, "image/jpeg", ApiFixture.photo(AARON_1)));
        assertEquals(aaron, same.get("match").get("personId").asLong());
        assertTrue(exact.get("match").get("distance").asDouble() < 1e-4, exact.toString());
        assertEquals("accept", exact.get("match").get("decision").asText());
        assertTrue(same.get("match").get("distance").asDouble() < other.get("match").get("distance").asDouble(),
                "Aaron's other photo is nearer than Abdullah's: " + same + " vs " + other);

        JsonNode pair = TestClient.body(client.multipart("/api/verify",
                Map.of("image", ApiFixture.photo(AARON_1), "other", ApiFixture.photo(AARON_2)), Map.of()));
        assertEquals(same.get("match").get("distance").asDouble(), pair.get("distance").asDouble(), 1e-5);
        JsonNode byField = TestClient.body(client.multipart("/api/verify",
                Map.of("image", ApiFixture.photo(AARON_2)), Map.of("person", Long.toString(aaron))));
        assertEquals(same.get("match").get("distance").asDouble(), byField.get("match").get("distance").asDouble(), 1e-6);

        assertError(client.image("/api/verify", "image/jpeg", ApiFixture.photo(AARON_2)), 400, "compare with");
        assertError(client.image("/api/verify?person=x", "image/jpeg", ApiFixture.photo(AARON_2)), 400, "person must be");
        assertError(client.image("/api/verify?person=424242", "image/jpeg", ApiFixture.photo(AARON_2)), 404, "no person");
        assertError(client.image("/api/verify?person=" + aaron, "image/png", blankPng()), 422, "no face");
    }

    @Test
    void identifyNamesEveryFaceInAPhoto() {
        long adam = createPerson("Adam I");
        assertEquals(201, client.image("/api/people/" + adam + "/faces", "image/jpeg", ApiFixture.photo(ADAM_1)).statusCode());

        JsonNode single = TestClient.body(client.image("/api/identify", "image/jpeg", ApiFixture.photo(ADAM_2)));
        assertEquals(1, single.get("faces").size(), single.toString());
        assertEquals(adam, single.get("faces").get(0).get("match").get("personId").asLong());

        JsonNode group = TestClient.body(client.image("/api/identify", "image/jpeg", ApiFixture.photo(GROUP)));
        assertTrue(group.get("faces").size() > 1, group.toString());
        for (JsonNode f : group.get("faces")) assertTrue(f.get("box").get("width").asDouble() > 0);

        JsonNode none = TestClient.body(client.image("/api/identify", "image/png", blankPng()));
        assertEquals(0, none.get("faces").size());
    }

    @Test
    void concurrentUploadsOfOnePhotoStoreItOnce() throws Exception {
        long id = createPerson("Race");
        byte[] photo = ApiFixture.photo(ABEL_1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++)
                calls.add(pool.submit(() -> client.image("/api/people/" + id + "/faces", "image/png", photo)));
            int created = 0, conflicts = 0;
            for (Future<HttpResponse<String>> f : calls) {
                int status = f.get().statusCode();
                if (status == 201) created++;
                else if (status == 409) conflicts++;
                else fail("unexpected " + status + ": " + f.get().body());
            }
            assertEquals(1, created);
            assertEquals(5, conflicts);
            assertEquals(1, api.gallery.templates(id).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void openapiDescribesExactlyTheRoutesTheServerHas() throws Exception {
        HttpResponse<String> r = client.withToken(null).get("/openapi.yaml");
        assertEquals(200, r.statusCode());
        JsonNode spec = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(r.body());
        java.util.Set<String> described = new java.util.TreeSet<>();
        spec.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) described.add(method.toUpperCase() + " " + path.getKey());
        }));
        assertEquals(new java.util.TreeSet<>(api.server.endpoints()), described);
    }

    @Test
    void metricsShowPipelineStageLatencies() {
        client.image("/api/identify", "image/jpeg", ApiFixture.photo(AARON_1));
        String text = client.get("/metrics").body();
        assertTrue(text.contains("doorman_api_stage_seconds_count{stage=\"detect\"}"), text);
        assertTrue(text.contains("doorman_api_stage_seconds{stage=\"embed\",quantile=\"0.5\"}"), text);
        assertTrue(text.contains("doorman_http_requests_total{status=\"200\"}"), text);
    }

}
