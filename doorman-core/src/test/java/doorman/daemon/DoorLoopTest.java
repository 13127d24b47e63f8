package doorman.daemon;

import doorman.ManualPulseTimer;
import doorman.MutableClock;
import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.audit.AuditQuery;
import doorman.camera.Frame;
import doorman.config.AuditConfig;
import doorman.config.PolicyConfig;
import doorman.embedding.Embedding;
import doorman.embedding.Encoder;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.lock.DryRunLock;
import doorman.match.Calibration;
import doorman.match.DoorDecision;
import doorman.match.DoorSettings;
import doorman.match.DoorVisit;
import doorman.match.StrangerCurves;
import doorman.match.GalleryView;
import doorman.metrics.Metrics;
import doorman.policy.Action;
import doorman.policy.PersonAccess;
import doorman.policy.PersonSchedule;
import doorman.policy.UnlockPolicy;
import doorman.vision.Face;
import doorman.vision.Liveness;
import doorman.camera.OpenCv;
import doorman.vision.QualityGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loop's own logic with fake detector, encoder and liveness check (no models): which stages run, what the
 * policy hears, when the relay pulses and what the audit log keeps. The real models run in DoorDaemonReplayTest.
 */
class DoorLoopTest {

    private static final String SPACE = "test-4d";
    private static final Calibration CALIBRATION = new Calibration(SPACE, -10, 5, 0.5, 1.2, 1e-3);
    private static final QualityGate ANY_FACE = new QualityGate(new QualityGate.Thresholds(0, 0, 10, -10, 10, 180, 0, 255));
    private static final Face FACE = new Face(10, 10, 40, 40, 0.9f,
            new float[]{20, 25, 40, 25, 30, 35, 30, 42, 12, 27, 48, 27});

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T08:00:00Z"));
    private final ManualPulseTimer timer = new ManualPulseTimer();
    private Gallery gallery;
    private AuditLog audit;
    private DryRunLock lock;
    private Person alice;
    private final Metrics metrics = new Metrics();

    /** What the fakes answer for the next frame: a face or none, its embedding, and whether it looks live. */
    private boolean faceInFrame = true;
    private float[] seen = unit(1, 0, 0, 0);
    private boolean live = true;
    private int livenessCalls;

    @BeforeEach
    void open() {
        OpenCv.load();
        gallery = Gallery.open(data);
        alice = gallery.addPerson("Alice");
        gallery.addTemplate(alice.id(), Embedding.normalised(unit(1, 0, 0, 0)), SPACE, "a".repeat(64), 1.0);
        audit = AuditLog.open(data, AuditConfig.defaults(), clock);
        lock = new DryRunLock(timer);
    }

    @AfterEach
    void close() {
        lock.close();
        audit.close();
        gallery.close();
    }

    private static float[] unit(float... v) {
        return Embedding.normalised(v).values();
    }

    private DoorLoop loop(boolean withLiveness) {
        Encoder encoder = new Encoder() {
            @Override
            public Embedding embed(Mat bgr, Face face) {
                return new Embedding(seen.clone());
            }

            @Override
            public String space() {
                return SPACE;
            }
        };
        UnlockPolicy policy = new UnlockPolicy(new PolicyConfig(3, 1, 2000, 5000, 60_000, "UTC"), clock,
                id -> gallery.person(id).map(p -> new PersonAccess(id, p.name(), p.enabled(), PersonSchedule.ALWAYS)));
        return new DoorLoop(bgr -> faceInFrame ? List.of(FACE) : List.of(), encoder, ANY_FACE,
                withLiveness ? (bgr, face) -> {
                    livenessCalls++;
                    return new Liveness(live ? 0.9 : 0.1, live, 0.5);
                } : null,
                new GalleryView(gallery, CALIBRATION, new DoorSettings(StrangerCurves.of(DoorSettings.fromCalibration(CALIBRATION)),
                        DoorSettings.DEFAULT_TARGET, DoorDecision.References.CENTROID)),
                new DoorVisit(3), policy, lock, Duration.ofMillis(1500), audit, metrics);
    }

    private DoorLoop.Step frame(DoorLoop loop) {
        Mat image = new Mat(64, 64, CvType.CV_8UC3, new Scalar(120, 120, 120));
        try (Frame frame = new Frame(image, clock.instant())) {
            DoorLoop.Step step = loop.process(frame);
            clock.advance(Duration.ofMillis(100));
            return step;
        }
    }

    private List<AuditEvent> audited() {
        return audit.query(AuditQuery.latest(100));
    }

    @Test
    void threeFramesOfAnEnrolledFaceUnlockOnceAndAreAudited() {
        DoorLoop loop = loop(false);
        assertEquals(Action.NONE, frame(loop).decision().action());
        assertEquals(Action.NONE, frame(loop).decision().action());
        assertFalse(lock.energised());
        DoorLoop.Step third = frame(loop);
        assertEquals(Action.UNLOCK, third.decision().action());
        assertTrue(lock.energised(), "the relay is pulsed on the deciding frame");
        timer.advance(Duration.ofMillis(1500));
        assertFalse(lock.energised(), "and released after the pulse");
        List<AuditEvent> events = audited();
        assertEquals(1, events.size());
        assertEquals(Action.UNLOCK, events.get(0).action());
        assertEquals(Instant.parse("2026-05-01T08:00:00.200Z"), events.get(0).time(), "the deciding frame's capture time");
    }

    @Test
    void anAuditStoreThatCannotWriteNeitherBlocksNorShortensAFaceUnlock() {
        DoorLoop loop = loop(false);
        audit.close(); // the store now refuses every write, as a full disk would
        frame(loop);
        frame(loop);
        assertEquals(Action.UNLOCK, frame(loop).decision().action());
        assertTrue(lock.energised());
        timer.advance(Duration.ofMillis(1499));
        assertTrue(lock.energised(), "the whole pulse, not cut short by the failed audit write");
        timer.advance(Duration.ofMillis(1));
        assertFalse(lock.energised());
        audit = AuditLog.open(data, AuditConfig.defaults(), clock); // for close()
    }

    @Test
    void aStrangerNeverPulsesTheRelay() {
        seen = unit(0, 1, 0, 0); // squared distance 2 from Alice: beyond the unknown margin
        DoorLoop loop = loop(false);
        for (int i = 0; i < 6; i++) assertNotEquals(Action.UNLOCK, frame(loop).decision().action());
        assertFalse(lock.energised());
        assertEquals(0, timer.pending(), "no pulse was ever started");
        assertTrue(audited().stream().noneMatch(e -> e.action() == Action.UNLOCK));
        assertTrue(audited().stream().anyMatch(e -> e.action() == Action.STRANGER_EVENT));
        assertTrue(audited().stream().allMatch(e -> e.personName() == null), "a stranger is never logged under Alice's name");
    }

    @Test
    void framesWithoutAFaceCostNoEmbeddingAndBreakTheStreak() {
        DoorLoop loop = loop(false);
        frame(loop);
        frame(loop);
        faceInFrame = false;
        DoorLoop.Step empty = frame(loop);
        assertNull(empty.match());
        faceInFrame = true;
        assertEquals(Action.NONE, frame(loop).decision().action(), "the streak starts again after the empty frame");
        assertFalse(lock.energised());
    }

    @Test
    void everyFaceThatReachesTheMatcherIsLivenessCheckedButALiveStrangerStillStaysOut() {
        seen = unit(0, 1, 0, 0);
        DoorLoop loop = loop(true);
        for (int i = 0; i < 3; i++) assertNotEquals(Action.UNLOCK, frame(loop).decision().action());
        assertEquals(3, livenessCalls, "the audit keeps every face's live score");
        assertFalse(lock.energised());
    }

    @Test
    void aSpoofedEnrolledFaceDoesNotOpenTheDoor() {
        live = false;
        DoorLoop loop = loop(true);
        for (int i = 0; i < 5; i++) assertNotEquals(Action.UNLOCK, frame(loop).decision().action());
        assertTrue(livenessCalls > 0);
        assertFalse(lock.energised());
        List<AuditEvent> denied = audited().stream().filter(e -> e.action() == Action.DENIED).toList();
        assertEquals(1, denied.size(), "reported once, not on every frame");
        assertTrue(denied.get(0).reason().startsWith("not live"), denied.get(0).reason());
        assertEquals("Alice", denied.get(0).personName(), "the owner learns whose face was shown");
    }

    @Test
    void aFrameThatWaitedTooLongIsNotDecidedOn() {
        DoorLoop loop = loop(false);
        frame(loop);
        frame(loop);
        Mat image = new Mat(64, 64, CvType.CV_8UC3, new Scalar(120, 120, 120));
        try (Frame old = new Frame(image, clock.instant().minus(Duration.ofSeconds(5)))) {
            assertEquals(Action.NONE, loop.process(old).decision().action(), "captured 5 s ago: stale");
        }
        assertFalse(lock.energised());
        assertEquals(Optional.empty(), audited().stream().filter(e -> e.action() == Action.UNLOCK).findAny());
    }
}
