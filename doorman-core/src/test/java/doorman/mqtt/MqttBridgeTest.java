package doorman.mqtt;

import doorman.camera.OpenCv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.audit.AuditQuery;
import doorman.audit.ManualUnlock;
import doorman.config.AuditConfig;
import doorman.config.DoormanConfig;
import doorman.config.MqttConfig;
import doorman.gallery.Gallery;
import doorman.lock.DryRunLock;
import doorman.metrics.Metrics;
import doorman.policy.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The bridge against a real mosquitto (TLS, password): events, state, discovery, remote unlock, outages. */
class MqttBridgeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private MosquittoBroker broker;
    private AuditLog audit;
    private Gallery gallery;
    private DryRunLock lock;
    private Metrics metrics;
    private MqttBridge bridge;

    @BeforeEach
    void setUp() throws Exception {
        java.nio.file.Files.createDirectories(tmp.resolve("broker"));
        broker = MosquittoBroker.startIn(tmp.resolve("broker"));
        audit = AuditLog.open(tmp.resolve("data"), AuditConfig.defaults(), Clock.systemUTC());
        gallery = Gallery.open(tmp.resolve("data"));
        lock = new DryRunLock();
        metrics = new Metrics();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bridge != null) bridge.close();
        lock.close();
        gallery.close();
        audit.close();
        broker.close();
    }

    private MqttBridge start(String extra) {
        MqttConfig config = DoormanConfig.parse(broker.mqttYaml("front", extra), "test").mqtt();
        bridge = MqttBridge.start(config, tmp.resolve("data"), gallery, audit,
                new ManualUnlock(lock, Duration.ofMillis(300), audit, metrics, Clock.systemUTC()), lock, metrics);
        return bridge;
    }

    private AuditEvent decision(Action action, Long personId, String name, double distance, double liveness, String reason) {
        return audit.record(new AuditEvent(0, Instant.now(), action, personId, name, distance, 0.97, liveness, "ok", reason));
    }

    @Test
    void aVisitReachesASubscriberAsEventsAndState() throws Exception {
        try (Subscriber ha = new Subscriber(broker, "doorman/#", "homeassistant/#")) {
            start("");
            ha.awaitOn("doorman/front/availability", "online"::equals, WAIT);
            ha.awaitOn("doorman/front/lock", "LOCKED"::equals, WAIT);

            // the audit log names the nearest enrolled person even for a stranger; the event must not
            decision(Action.STRANGER_EVENT, null, "Nearest Person", 1.71, Double.NaN, "unknown face at the door");
            JsonNode stranger = JSON.readTree(ha.awaitOn("doorman/front/event", t -> t.contains("refused_stranger"), WAIT).text());
            assertEquals("front", stranger.get("door").asText());
            assertEquals(1.71, stranger.get("distance").asDouble(), 1e-9);
            assertTrue(stranger.get("liveness").isNull(), "an unmeasured liveness is null, not NaN");
            assertTrue(stranger.get("person").isNull());
            ha.awaitOn("doorman/front/stranger", "ON"::equals, WAIT);

            decision(Action.UNLOCK, 7L, "Ada Lovelace", 0.42, 0.91, "3 frames (1 live) in 0.4 s");
            lock.pulse(Duration.ofMillis(300));
            JsonNode unlocked = JSON.readTree(ha.awaitOn("doorman/front/event", t -> t.contains("\"unlocked\""), WAIT).text());
            assertEquals("Ada Lovelace", unlocked.get("person").asText());
            assertEquals("7", unlocked.get("person_id").asText());
            assertEquals(0.91, unlocked.get("liveness").asDouble(), 1e-9);
            assertEquals("face", unlocked.get("source").asText());
            assertTrue(Instant.parse(unlocked.get("time").asText()).isAfter(Instant.now().minusSeconds(60)));
            ha.awaitOn("doorman/front/last_person", "Ada Lovelace"::equals, WAIT);
            ha.awaitOn("doorman/front/lock", "UNLOCKED"::equals, WAIT);
            // the relay falls back after its pulse, and the lock entity follows it
            ha.await(r -> r.topic().equals("doorman/front/lock") && r.text().equals("LOCKED")
                    && ha.received.indexOf(r) > ha.received.stream().map(Subscriber.Received::text).toList().indexOf("UNLOCKED"), WAIT)
                    .orElseThrow(() -> new AssertionError("the lock never went back to LOCKED: " + ha.topics()));

            decision(Action.DENIED, 7L, "Ada Lovelace", 0.40, 0.02, "spoof: no live frame in the streak");
            ha.awaitOn("doorman/front/event", t -> t.contains("refused_spoof"), WAIT);
            ha.awaitOn("doorman/front/spoof", "ON"::equals, WAIT);
            System.out.println("topics a subscriber saw during the visit:\n  " + String.join("\n  ", ha.topics()));
        }
    }

    @Test
    void discoveryAnnouncesOneDeviceWithTheRequiredKeys() throws Exception {
        try (Subscriber ha = new Subscriber(broker, "homeassistant/#")) {
            start("");
            for (String topic : List.of("homeassistant/lock/doorman_front/lock/config",
                    "homeassistant/sensor/doorman_front/last_person/config",
                    "homeassistant/binary_sensor/doorman_front/stranger/config",
                    "homeassistant/binary_sensor/doorman_front/spoof/config")) {
                Subscriber.Received r = ha.awaitOn(topic, t -> true, WAIT);
                JsonNode config = JSON.readTree(r.text());
                DiscoverySchema.check(topic.split("/")[1], config);
                assertEquals("doorman_front", config.get("device").get("identifiers").get(0).asText());
            }
        }
    }

    @Test
    void withPublishFacesARefusedVisitsFaceIsAJpegAndAnImageEntity() throws Exception {
        doorman.camera.OpenCv.load();
        try (Subscriber ha = new Subscriber(broker, "doorman/#", "homeassistant/#")) {
            start("publish-faces: true");
            String imageTopic = "homeassistant/image/doorman_front/refused_face/config";
            JsonNode image = JSON.readTree(ha.awaitOn(imageTopic, t -> true, WAIT).text());
            DiscoverySchema.check("image", image);
            assertEquals("doorman/front/face", image.get("image_topic").asText());
            org.opencv.core.Mat frame = new org.opencv.core.Mat(240, 320, org.opencv.core.CvType.CV_8UC3,
                    new org.opencv.core.Scalar(90, 120, 160));
            // keypoints: right eye, left eye, nose, mouth, right ear, left ear (pixels)
            doorman.vision.Face face = new doorman.vision.Face(110, 70, 100, 100, 0.9f,
                    new float[]{140, 105, 180, 105, 160, 125, 160, 145, 120, 110, 200, 110});
            try {
                bridge.refusedFace(Action.UNLOCK, frame, face);   // not refused: nothing
                bridge.refusedFace(Action.STRANGER_EVENT, frame, null); // no face: nothing
                bridge.refusedFace(Action.STRANGER_EVENT, frame, face);
            } finally {
                frame.release();
            }
            Subscriber.Received jpeg = ha.awaitOn("doorman/front/face", t -> true, WAIT);
            assertEquals((byte) 0xFF, jpeg.payload()[0]);
            assertEquals((byte) 0xD8, jpeg.payload()[1], "a JPEG");
            java.awt.image.BufferedImage decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg.payload()));
            assertEquals(112, decoded.getWidth());
            assertEquals(112, decoded.getHeight());
            Thread.sleep(300);
            assertEquals(1, ha.received.stream().filter(r -> r.topic().equals("doorman/front/face")).count());
        }
    }

    @Test
    void withoutPublishFacesNoFaceLeavesTheDoor() throws Exception {
        try (Subscriber ha = new Subscriber(broker, "homeassistant/#")) {
            start("");
            ha.awaitOn("homeassistant/lock/doorman_front/lock/config", t -> true, WAIT);
            assertTrue(ha.received.stream().noneMatch(r -> r.topic().startsWith("homeassistant/image/")));
        }
    }

    @Test
    void remoteUnlockIsRefusedByDefaultAndAudited() throws Exception {
        try (Subscriber ha = new Subscriber(broker, "doorman/#")) {
            start("");
            ha.awaitOn("doorman/front/availability", "online"::equals, WAIT);
            ha.publish("doorman/front/lock/set", "UNLOCK", false);
            ha.awaitOn("doorman/front/event", t -> t.contains("allow-remote-unlock is off"), WAIT);
            assertFalse(lock.energised());
            List<AuditEvent> events = audit.query(new AuditQuery(null, null, null, null, 0, 10));
            assertEquals(1, events.size());
            assertEquals(Action.DENIED, events.get(0).action());
            assertEquals(0, metrics.counter(Metrics.UNLOCKS, "", "source").value("mqtt"));
        }
    }

    @Test
    void remoteUnlockWhenAllowedGoesThroughTheAuditedPath() throws Exception {
        try (Subscriber ha = new Subscriber(broker, "doorman/#")) {
            // a stale retained command on the broker reaches the door when it subscribes; it must not open
            ha.publish("doorman/front/lock/set", "UNLOCK", true);
            ha.awaitOn("doorman/front/lock/set", "UNLOCK"::equals, WAIT);
            start("allow-remote-unlock: true");
            ha.awaitOn("doorman/front/availability", "online"::equals, WAIT);
            ha.publish("doorman/front/lock/set", "", true); // clear the retained command from the broker
            ha.publish("doorman/front/lock/set", "UNLOCK", false);
            ha.awaitOn("doorman/front/lock", "UNLOCKED"::equals, WAIT);
            List<AuditEvent> events = audit.query(new AuditQuery(null, null, null, null, 0, 10));
            assertEquals(1, events.size(), "one unlock, the retained command ignored: " + events);
            assertEquals(Action.UNLOCK, events.get(0).action());
            assertTrue(events.get(0).reason().contains("remote unlock over MQTT"), events.get(0).reason());
            assertEquals(1, metrics.counter(Metrics.UNLOCKS, "", "source").value("mqtt"));
        }
    }

    @Test
    void aBrokerOutageNeitherBlocksNorLosesAuditRecords() throws Exception {
        start("queue-size: 16");
        awaitConnected(true);
        long publishedBefore = published();
        broker.stop();
        awaitConnected(false);
        // in the middle of a visit: decisions go on being audited while the broker is away
        for (int i = 0; i < 200; i++) decision(Action.STRANGER_EVENT, null, null, 1.5 + i / 1000.0, Double.NaN, "visit " + i);
        assertEquals(200, audit.size(), "every decision is in the audit log");
        assertTrue(bridge.dropped() >= 200 * 2 - 16, "beyond the queue, messages are dropped and counted: " + bridge.dropped());
        assertEquals(bridge.dropped(), metrics.counter("doorman_mqtt_dropped_total", "").value());
        broker.start();
        // the door comes back by itself and sends what it had queued
        awaitConnected(true);
        long until = System.nanoTime() + WAIT.toNanos();
        while (published() < publishedBefore + 16 && System.nanoTime() < until) Thread.sleep(20);
        assertTrue(published() >= publishedBefore + 16, "the queued messages went out after the reconnect");
        try (Subscriber ha = new Subscriber(broker, "doorman/#")) {
            ha.awaitOn("doorman/front/availability", "online"::equals, WAIT);
        }
    }

    private long published() {
        return metrics.counter("doorman_mqtt_published_total", "").value();
    }

    private void awaitConnected(boolean state) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (bridge.connected() != state && System.nanoTime() < until) Thread.sleep(20);
        assertEquals(state, bridge.connected(), "connected");
    }
}
