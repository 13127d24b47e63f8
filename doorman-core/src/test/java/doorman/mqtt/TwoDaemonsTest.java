package doorman.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.TestData;
import doorman.audit.AuditLog;
import doorman.audit.ManualUnlock;
import doorman.camera.FrameRateCap;
import doorman.camera.ReplaySource;
import doorman.config.AuditConfig;
import doorman.config.DoormanConfig;
import doorman.daemon.DoorDaemon;
import doorman.gallery.Gallery;
import doorman.household.HouseholdKey;
import doorman.lock.DryRunLock;
import doorman.metrics.Metrics;
import doorman.models.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The demonstration: two real daemons (replay cameras showing the same LFW person, dry-run locks, HTTP
 * APIs) and one mosquitto on loopback. Enrolled at door A over HTTP, door B unlocks for that person within 2 s;
 * removed at B, door A refuses within 2 s; a door started later has the same household.
 */
class TwoDaemonsTest {

    /**
     * The issue asks for 2 s; the test prints the measured time and fails only past 10 s, so a machine busy with
     * other work cannot make it flaky. docs/mqtt.md reports the measured figures.
     */
    private static final long LIMIT_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private record Running(DoorDaemon daemon, Thread thread, String api, String token) {
    }

    @Test
    void enrollAtOneDoorOpensTheOtherAndARemovalComesBack() throws Exception {
        Path lfw = TestData.dataset("lfw-train");
        ModelFiles models = ModelFiles.locate();
        List<Path> photos = personWithPhotos(lfw, 6);
        String name = photos.get(0).getParent().getFileName().toString().replace('_', ' ');
        Files.createDirectories(tmp.resolve("broker"));
        HouseholdKey key = HouseholdKey.generate();
        List<Running> doors = new ArrayList<>();
        try (MosquittoBroker broker = MosquittoBroker.startIn(tmp.resolve("broker"));
             Subscriber watcher = new Subscriber(broker, "doorman/+/event")) {
            // the visitor stands at both doors from the start: photos other than the ones enrolled, 3 frames each
            List<Path> visit = new ArrayList<>();
            for (Path p : photos.subList(3, 6)) visit.addAll(List.of(p, p, p));
            Running a = start("door-a", broker, key, models, visit);
            doors.add(a);
            Running b = start("door-b", broker, key, models, visit);
            doors.add(b);
            awaitOnline(watcher, broker);

            // enroll at A over HTTP
            long idAtA = body(send(a, "POST", "/api/people", "application/json", ("{\"name\":\"" + name + "\"}").getBytes()), 201).get("id").asLong();
            int enrolled = 0;
            long enrolledAt = 0; // when the first face was stored at A: from then on B could know the person
            for (Path photo : photos.subList(0, 3)) {
                HttpResponse<String> r = send(a, "POST", "/api/people/" + idAtA + "/faces", "image/jpeg", Files.readAllBytes(photo));
                if (r.statusCode() == 201 && enrolled++ == 0) enrolledAt = System.nanoTime();
            }
            assertTrue(enrolled > 0, "no photo of " + name + " passed the enrollment gate");
            long since = enrolledAt;
            Subscriber.Received opened = watcher.await(r -> r.nanos() > since && r.topic().equals("doorman/door-b/event")
                    && r.text().contains("\"unlocked\"") && r.text().contains(name), Duration.ofMillis(LIMIT_MS))
                    .orElseThrow(() -> new AssertionError("door B never opened for " + name));
            long openedMs = (opened.nanos() - enrolledAt) / 1_000_000;
            System.out.printf("enrolled %s at door A over HTTP (%d photos); door B unlocked for them %d ms after the first face was stored%n", name, enrolled, openedMs);
            assertTrue(openedMs <= LIMIT_MS, "door B took " + openedMs + " ms");

            // remove at B over HTTP
            long idAtB = -1;
            for (JsonNode p : body(send(b, "GET", "/api/people", null, null), 200))
                if (p.get("name").asText().equals(name)) idAtB = p.get("id").asLong();
            assertNotEquals(-1, idAtB, "door B lists " + name);
            assertEquals(204, send(b, "DELETE", "/api/people/" + idAtB, null, null).statusCode());
            long removedAt = System.nanoTime();
            Subscriber.Received refused = watcher.await(r -> r.nanos() > removedAt && r.topic().equals("doorman/door-a/event")
                    && r.text().contains("refused_stranger"), Duration.ofMillis(LIMIT_MS))
                    .orElseThrow(() -> new AssertionError("door A never refused " + name + " after the removal"));
            long refusedMs = (refused.nanos() - removedAt) / 1_000_000;
            System.out.printf("removed %s at door B over HTTP; door A refused them as a stranger %d ms later%n", name, refusedMs);
            assertTrue(refusedMs <= LIMIT_MS, "door A took " + refusedMs + " ms");
            Thread.sleep(500);
            for (Subscriber.Received r : watcher.received)
                if (r.nanos() > refused.nanos() && r.topic().equals("doorman/door-a/event"))
                    assertFalse(r.text().contains("\"unlocked\""), "door A opened after refusing: " + r.text());

            // a door started later: Grace is enrolled at A (name only), the removed visitor must not come back
            body(send(a, "POST", "/api/people", "application/json", "{\"name\":\"Grace Hopper\"}".getBytes()), 201);
            Path dataC = tmp.resolve("door-c");
            key.save(dataC);
            try (Gallery galleryC = Gallery.open(dataC);
                 AuditLog auditC = AuditLog.open(dataC, AuditConfig.defaults(), Clock.systemUTC());
                 DryRunLock lockC = new DryRunLock()) {
                Metrics metrics = new Metrics();
                try (MqttBridge c = MqttBridge.start(DoormanConfig.parse(broker.mqttYaml("door-c", "household: true"), "c").mqtt(),
                        dataC, galleryC, auditC, new ManualUnlock(lockC, Duration.ofMillis(100), auditC, metrics, Clock.systemUTC()),
                        lockC, metrics)) {
                    long until = System.nanoTime() + 10_000_000_000L;
                    while (galleryC.findPerson("Grace Hopper").isEmpty() && System.nanoTime() < until) Thread.sleep(20);
                    assertTrue(galleryC.findPerson("Grace Hopper").isPresent(), "the late door has the household");
                    assertTrue(galleryC.findPerson(name).isEmpty(), "and the removal");
                    System.out.printf("door C, started later, has %s%n", galleryC.people().stream().map(p -> p.name()).toList());
                }
            }
        } finally {
            for (Running r : doors) {
                r.daemon().stop();
                r.thread().join(20_000);
                r.daemon().close();
            }
        }
    }

    private Running start(String door, MosquittoBroker broker, HouseholdKey key, ModelFiles models, List<Path> visit) throws Exception {
        Path data = tmp.resolve(door);
        key.save(data);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DoormanConfig config = DoormanConfig.parse("""
                data-dir: %s
                liveness: {enabled: false, i-understand: true}
                policy: {frames: 3, window-ms: 60000, cooldown-ms: 0, stranger-event-interval-ms: 100, time-zone: UTC}
                lock: {type: dry-run, pulse-ms: 100}
                http: {enabled: true, port: %d}
                threads: 1
                %s
                """.formatted(data, port, broker.mqttYaml(door, "household: true")), door);
        DoorDaemon daemon = DoorDaemon.open(config, models, new DryRunLock(), new FrameRateCap(new ReplaySource(visit, true), 8),
                Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()));
        Thread t = new Thread(() -> daemon.run(0), door + "-loop");
        t.start();
        return new Running(daemon, t, daemon.api().orElseThrow().baseUrl(), Files.readString(data.resolve("api-token")).strip());
    }

    private static void awaitOnline(Subscriber watcher, MosquittoBroker broker) throws Exception {
        try (Subscriber s = new Subscriber(broker, "doorman/+/availability")) {
            s.awaitOn("doorman/door-a/availability", "online"::equals, Duration.ofSeconds(20));
            s.awaitOn("doorman/door-b/availability", "online"::equals, Duration.ofSeconds(20));
        }
    }

    private static HttpResponse<String> send(Running door, String method, String path, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(door.api() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + door.token());
        if (type != null) b.header("Content-Type", type);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode body(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<Path> personWithPhotos(Path root, int count) throws Exception {
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                List<Path> photos = TestData.images(dir);
                if (photos.size() >= count) return photos.subList(0, count);
            }
        }
        throw new AssertionError("no person with " + count + " photos in " + root);
    }
}
