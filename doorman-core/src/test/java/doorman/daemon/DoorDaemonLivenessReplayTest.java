package doorman.daemon;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
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
import doorman.models.ModelFiles;
import doorman.pipeline.FacePipeline;
import doorman.policy.Action;
import doorman.vision.ImageDecoder;
import doorman.vision.ScreenReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real daemon loop with liveness on as configured by default (MiniFASNet, calibrated threshold, all frames of
 * the streak live), over NUAA webcam frames: people enrolled from one live frame get in from their other live
 * frames; printed photos of the same people (NUAA's attack frames) and a re-captured screen of their live frames
 * do not, although both open the door once liveness is turned off, so it is the liveness stage that stops them.
 */
class DoorDaemonLivenessReplayTest {

    /** Live frames shown per visit, and attack frames per enrolled person. */
    private static final int VISIT_FRAMES = 6, ATTACK_FRAMES = 12;

    @TempDir
    Path data;

    private DoormanConfig config(boolean liveness) {
        return DoormanConfig.parse("""
                data-dir: %s
                camera: {type: replay, path: %s, fps-cap: 30}
                %s
                policy: {window-ms: 60000, cooldown-ms: 0, time-zone: UTC}
                lock: {type: dry-run, pulse-ms: 100}
                http: {enabled: false}
                """.formatted(data, data, liveness ? "" : "liveness: {enabled: false, i-understand: true}"), "test config");
    }

    @Test
    void livePeopleGetInAndPrintsAndScreensOfThemDoNot() throws IOException {
        Path nuaa = TestData.dataset("spoof-dev/nuaa-train");
        Map<String, List<Path>> live = bySubject(TestData.images(nuaa.resolve("live")));
        Map<String, List<Path>> prints = bySubject(TestData.images(nuaa.resolve("spoof")));
        ModelFiles models = ModelFiles.locate();
        Map<String, String> enrolled = new LinkedHashMap<>();
        try (FacePipeline pipeline = FacePipeline.open(models, FacePipeline.Options.defaults()); Gallery gallery = Gallery.open(data)) {
            for (var e : live.entrySet()) {
                if (e.getValue().size() < VISIT_FRAMES + 1 || !prints.containsKey(e.getKey())) continue;
                FacePipeline.FaceEmbedding face = pipeline.largest(e.getValue().get(0));
                if (face == null) continue;
                Person p = gallery.addPerson("nuaa-" + e.getKey());
                gallery.addTemplate(p.id(), face.embedding(), pipeline.encoderName(), "%064x".formatted(p.id()), face.face().score());
                enrolled.put(e.getKey(), String.valueOf(p.id()));
            }
        }
        assertTrue(enrolled.size() >= 6, "only " + enrolled.size() + " NUAA subjects could be enrolled");

        List<Path> visits = new ArrayList<>(), printAttack = new ArrayList<>(), screenAttack = new ArrayList<>();
        Path screens = Files.createDirectories(data.resolve("screens"));
        for (String subject : enrolled.keySet()) {
            List<Path> frames = live.get(subject);
            visits.addAll(frames.subList(1, VISIT_FRAMES + 1));
            List<Path> p = prints.get(subject);
            printAttack.addAll(p.subList(0, Math.min(ATTACK_FRAMES, p.size())));
            for (Path frame : frames.subList(1, VISIT_FRAMES + 1)) screenAttack.add(screenReplay(frame, screens));
        }

        Set<Long> in = unlocked(visits, true);
        Set<Long> byPrint = unlocked(printAttack, true);
        Set<Long> byScreen = unlocked(screenAttack, true);
        Set<Long> printWithoutLiveness = unlocked(printAttack, false);
        Set<Long> screenWithoutLiveness = unlocked(screenAttack, false);
        System.out.printf("liveness replay: %d enrolled; live visits let in %d; prints let in %d (%d without liveness);"
                        + " screen replays let in %d (%d without liveness)%n", enrolled.size(), in.size(), byPrint.size(),
                printWithoutLiveness.size(), byScreen.size(), screenWithoutLiveness.size());
        assertTrue(in.size() >= enrolled.size() - 1, "only " + in.size() + " of " + enrolled.size() + " live visitors got in");
        assertEquals(Set.of(), byPrint, "printed photos opened the door");
        assertEquals(Set.of(), byScreen, "screen replays opened the door");
        assertTrue(printWithoutLiveness.size() >= enrolled.size() / 2, "prints should match their person (else this test proves nothing)");
        assertTrue(screenWithoutLiveness.size() >= enrolled.size() / 2, "screens should match their person (else this test proves nothing)");
    }

    /** Replays the frames through a fresh daemon and returns whom the audit log says the door opened for. */
    private Set<Long> unlocked(List<Path> frames, boolean liveness) throws IOException {
        // each run's unlocks are told apart by time
        java.time.Instant start = java.time.Instant.now();
        // a fresh mock GPIO context per run: the relay line stays registered in a context
        Context pi4j = Pi4J.newContextBuilder().add(MockDigitalOutputProvider.newInstance()).build();
        try (DoorDaemon daemon = DoorDaemon.open(config(liveness), ModelFiles.locate(),
                new GpioLock(pi4j, 17, LockConfig.Polarity.ACTIVE_HIGH), new ReplaySource(frames, false), Clock.systemUTC(),
                DoorDaemonReplayTest.silent())) {
            DoorDaemon.RunStats stats = daemon.run(0);
            assertEquals(0, stats.failures());
        } finally {
            pi4j.shutdown();
        }
        List<AuditEvent> unlocks;
        try (AuditLog audit = AuditLog.open(data, AuditConfig.defaults(), Clock.systemUTC())) {
            unlocks = audit.query(new AuditQuery(null, start, null, Action.UNLOCK, 0, 1000));
        }
        return unlocks.stream().map(AuditEvent::personId).collect(Collectors.toSet());
    }

    private static Path screenReplay(Path frame, Path dir) {
        Mat bgr = ImageDecoder.read(frame);
        Mat replay = ScreenReplay.of(bgr);
        try {
            Path out = dir.resolve("screen-" + frame.getFileName());
            Imgcodecs.imwrite(out.toString(), replay);
            return out;
        } finally {
            bgr.release();
            replay.release();
        }
    }

    /** NUAA file names start with the subject number (0001_...). */
    private static Map<String, List<Path>> bySubject(List<Path> images) {
        Map<String, List<Path>> out = new TreeMap<>();
        for (Path p : images) out.computeIfAbsent(p.getFileName().toString().substring(0, 4), k -> new ArrayList<>()).add(p);
        return out;
    }
}
