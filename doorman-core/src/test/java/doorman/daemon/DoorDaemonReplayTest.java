package doorman.daemon;

import doorman.camera.OpenCv;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import doorman.TestData;
import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.audit.AuditQuery;
import doorman.camera.ReplaySource;
import doorman.config.AuditConfig;
import doorman.config.DoormanConfig;
import doorman.config.LockConfig;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.lock.GpioLock;
import doorman.lock.PulseTimer;
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;
import doorman.policy.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real daemon loop over replayed photos with Pi4J's mock GPIO: LFW people enrolled from one photo each
 * come to the door (three other photos of them in a row) between strangers; the relay must open for the
 * enrolled and never for a stranger, with the door's decision (the streak's frames fused, the threshold set for
 * 12 people at the default stranger accept per visit). Photos are not live, so the liveness model is off here.
 */
class DoorDaemonReplayTest {

    private static final int ENROLLED = 12, STRANGERS = 12;

    @TempDir
    Path data;

    private Context pi4j;
    private final List<DigitalState> pin = new CopyOnWriteArrayList<>();

    @BeforeEach
    void mockGpio() {
        pi4j = Pi4J.newContextBuilder().add(MockDigitalOutputProvider.newInstance()).build();
    }

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    private DoormanConfig config(String extra) {
        return DoormanConfig.parse("""
                data-dir: %s
                camera: {type: replay, path: %s, fps-cap: 30}
                liveness: {enabled: false, i-understand: true}
                policy: {frames: 3, window-ms: 60000, cooldown-ms: 0, time-zone: UTC}
                lock: {type: dry-run, pulse-ms: 100}
                http: {enabled: false}
                %s
                """.formatted(data, data, extra), "test config");
    }

    private GpioLock mockLock() {
        return watched(new GpioLock(pi4j, 17, LockConfig.Polarity.ACTIVE_HIGH));
    }

    /**
     * A relay whose pulses end as soon as they start, so the count of pulses does not depend on how fast this
     * machine replays frames: every unlock shows as exactly one raise of the line.
     */
    private GpioLock instantPulseLock() {
        return watched(new GpioLock(pi4j, 17, LockConfig.Polarity.ACTIVE_HIGH, new PulseTimer() {
            @Override
            public Pending schedule(Runnable task, Duration after) {
                task.run();
                return () -> { };
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void shutdown() {
            }
        }));
    }

    private GpioLock watched(GpioLock lock) {
        lock.output().addListener(e -> pin.add(e.state()));
        return lock;
    }

    @Test
    void opensForEnrolledPeopleAndNeverForStrangers() throws IOException {
        Path lfw = TestData.dataset("lfw-train");
        List<List<Path>> people = peopleWithAtLeast(lfw, 4, ENROLLED + STRANGERS);
        assertEquals(ENROLLED + STRANGERS, people.size());
        Map<Long, String> enrolledIds = new HashMap<>();
        ModelFiles models = ModelFiles.locate();
        try (FacePipeline pipeline = FacePipeline.open(models, FacePipeline.Options.defaults()); Gallery gallery = Gallery.open(data)) {
            for (List<Path> photos : people.subList(0, ENROLLED)) {
                Person p = gallery.addPerson(photos.get(0).getParent().getFileName().toString());
                FacePipeline.FaceEmbedding face = pipeline.largest(photos.get(0));
                gallery.addTemplate(p.id(), face.embedding(), pipeline.encoderName(), "%064x".formatted(p.id()), face.face().score());
                enrolledIds.put(p.id(), p.name());
            }
        }
        // A visitor stands at the door for a while: three photos other than the enrolment one, each held for three
        // frames, as consecutive camera frames of one pose are near copies. Enrolled visitors and strangers alternate.
        List<Path> frames = new ArrayList<>();
        for (int i = 0; i < ENROLLED; i++) {
            for (Path photo : people.get(i).subList(1, 4)) frames.addAll(List.of(photo, photo, photo));
            for (Path photo : people.get(ENROLLED + i).subList(0, 3)) frames.addAll(List.of(photo, photo, photo));
        }
        DoorDaemon.RunStats stats;
        try (DoorDaemon daemon = DoorDaemon.open(config(""), models, instantPulseLock(), new ReplaySource(frames, false), Clock.systemUTC(), silent())) {
            stats = daemon.run(0);
        }
        assertEquals(DigitalState.LOW, pin.get(pin.size() - 1), "the relay is released once the daemon has stopped");
        assertEquals(frames.size(), stats.frames());
        assertEquals(0, stats.failures());
        List<AuditEvent> unlocks;
        try (AuditLog audit = AuditLog.open(data, AuditConfig.defaults(), Clock.systemUTC())) {
            unlocks = audit.query(new AuditQuery(null, null, null, Action.UNLOCK, 0, 1000));
        }
        Set<Long> unlocked = new HashSet<>();
        for (AuditEvent e : unlocks) {
            assertTrue(enrolledIds.containsKey(e.personId()), "unlocked for someone not enrolled: " + e);
            assertTrue(e.reason().contains("fused distance") && e.reason().contains("threshold"), "audit names the decision: " + e.reason());
            unlocked.add(e.personId());
        }
        System.out.printf("replay: %d frames, %d enrolled visitors, %d unlocked (%d unlock events), %d strangers, 0 stranger unlocks%n",
                stats.frames(), ENROLLED, unlocked.size(), unlocks.size(), STRANGERS);
        assertTrue(unlocked.size() >= ENROLLED - 1, "only " + unlocked.size() + " of " + ENROLLED + " enrolled people got in");
        long pulses = pin.stream().filter(s -> s == DigitalState.HIGH).count();
        // with pulses that end at once, every unlock raises the line exactly once and nothing else does
        assertEquals(unlocks.size(), pulses, pulses + " relay pulses for " + unlocks.size() + " unlocks");
    }

    @Test
    void anExceptionInTheLoopReleasesTheRelay() {
        GpioLock lock = mockLock();
        doorman.camera.OpenCv.load();
        Mat broken = new Mat(); // an empty frame makes detection throw inside the loop
        var source = new doorman.camera.FrameSource() {
            boolean sent;

            @Override
            public Optional<Mat> next() {
                if (sent) return Optional.empty();
                sent = true;
                lock.pulse(Duration.ofSeconds(30)); // the relay is open when the bad frame arrives
                return Optional.of(broken);
            }

            @Override
            public String describe() {
                return "one broken frame";
            }

            @Override
            public void close() {
            }
        };
        try (DoorDaemon daemon = DoorDaemon.open(config(""), ModelFiles.locate(), lock, source, Clock.systemUTC(), silent())) {
            DoorDaemon.RunStats stats = daemon.run(0);
            assertEquals(1, stats.failures());
            assertFalse(lock.energised(), "released after the exception");
            assertEquals(DigitalState.LOW, lock.output().state());
        }
    }

    @Test
    void startingTheDaemonReleasesARelayLeftOn() {
        GpioLock lock = mockLock();
        lock.pulse(Duration.ofSeconds(30));
        assertTrue(lock.energised());
        try (DoorDaemon ignored = DoorDaemon.open(config(""), ModelFiles.locate(), lock,
                new ReplaySource(List.of(TestData.dataset("samples/group-photos/dogs.jpg")), false), Clock.systemUTC(), silent())) {
            assertFalse(lock.energised());
            assertEquals(DigitalState.LOW, lock.output().state());
        }
    }

    static List<List<Path>> peopleWithAtLeast(Path root, int images, int count) throws IOException {
        List<List<Path>> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                List<Path> photos = TestData.images(dir);
                if (photos.size() >= images) out.add(photos);
                if (out.size() == count) break;
            }
        }
        return out;
    }

    static PrintStream silent() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
