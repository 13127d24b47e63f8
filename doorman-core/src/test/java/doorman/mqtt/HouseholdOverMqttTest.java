package doorman.mqtt;

import doorman.audit.AuditLog;
import doorman.audit.ManualUnlock;
import doorman.config.AuditConfig;
import doorman.config.DoormanConfig;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.household.HouseholdKey;
import doorman.lock.DryRunLock;
import doorman.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Doors of one household through a real mosquitto: an enrollment at one door reaches the other, a removal comes
 * back, a door started later catches up from the retained records, and a door with another key refuses them.
 */
class HouseholdOverMqttTest {

    /** Measured times are printed (about 0.1 s here); the bound only keeps a busy machine from failing the test. */
    private static final Duration SYNC = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private MosquittoBroker broker;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HouseholdKey key = HouseholdKey.generate();

    /** One door: its own data folder, gallery, audit log, lock and bridge. */
    private record Door(Gallery gallery, Metrics metrics, MqttBridge bridge) {
    }

    @BeforeEach
    void startBroker() throws Exception {
        Files.createDirectories(tmp.resolve("broker"));
        broker = MosquittoBroker.startIn(tmp.resolve("broker"));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        broker.close();
    }

    private Door door(String name, HouseholdKey householdKey) throws Exception {
        Path data = tmp.resolve(name);
        householdKey.save(data);
        Gallery gallery = keep(Gallery.open(data));
        AuditLog audit = keep(AuditLog.open(data, AuditConfig.defaults(), Clock.systemUTC()));
        DryRunLock lock = keep(new DryRunLock());
        Metrics metrics = new Metrics();
        MqttBridge bridge = keep(MqttBridge.start(DoormanConfig.parse(broker.mqttYaml(name, "household: true"), "test").mqtt(),
                data, gallery, audit, new ManualUnlock(lock, Duration.ofMillis(200), audit, metrics, Clock.systemUTC()), lock, metrics));
        return new Door(gallery, metrics, bridge);
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private static void within(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime(), until = start + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) fail(what + " did not happen within " + limit);
            Thread.sleep(10);
        }
        System.out.printf("%s after %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
    }

    private static void awaitConnected(Door d) throws InterruptedException {
        within(Duration.ofSeconds(10), "connected", d.bridge()::connected);
    }

    private static float[] unit(long seed) {
        Random r = new Random(seed);
        float[] v = new float[128];
        double n = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) v[i] /= (float) Math.sqrt(n);
        return v;
    }

    @Test
    void doorsShareEnrollmentRemovalAndALateDoorCatchesUp() throws Exception {
        Door a = door("door-a", key), b = door("door-b", key);
        awaitConnected(a);
        awaitConnected(b);

        Person ada = a.gallery().addPerson("Ada");
        a.gallery().addTemplate(ada.id(), new doorman.embedding.Embedding(unit(1)), "doorman-128", "a".repeat(64), 0.9);
        within(SYNC, "enrolled at A, present at B", () -> b.gallery().findPerson("Ada")
                .map(p -> b.gallery().templates(p.id()).size() == 1).orElse(false));

        Person grace = b.gallery().addPerson("Grace");
        within(SYNC, "enrolled at B, present at A", () -> a.gallery().findPerson("Grace").isPresent());

        b.gallery().removePerson(b.gallery().findPerson("Ada").orElseThrow().id());
        within(SYNC, "removed at B, gone at A", () -> a.gallery().findPerson("Ada").isEmpty());

        Door c = door("door-c", key);
        within(Duration.ofSeconds(10), "a door started later has the household",
                () -> c.gallery().findPerson("Grace").isPresent());
        assertTrue(c.gallery().findPerson("Ada").isEmpty(), "the removal reached the late door too");
        assertEquals(1, c.gallery().people().size());
        assertEquals(grace.name(), c.gallery().people().get(0).name());
    }

    @Test
    void aDoorWithAnotherKeyRefusesTheRecords() throws Exception {
        Door a = door("door-a", key);
        awaitConnected(a);
        a.gallery().addPerson("Ada");
        within(SYNC, "A shared its record", () -> a.metrics().counter("doorman_household_records_total", "", "outcome")
                .value("unchanged") >= 1); // its own record came back from the broker
        Door stranger = door("door-x", HouseholdKey.generate());
        within(Duration.ofSeconds(10), "the other household's door refused the record", () -> stranger.metrics()
                .counter("doorman_household_records_total", "", "outcome").value("refused") >= 1);
        assertTrue(stranger.gallery().people().isEmpty());
    }
}
