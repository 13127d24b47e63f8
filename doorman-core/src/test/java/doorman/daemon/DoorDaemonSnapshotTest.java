package doorman.daemon;

import doorman.TestData;
import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.audit.AuditQuery;
import doorman.camera.ReplaySource;
import doorman.config.AuditConfig;
import doorman.config.DoormanConfig;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.lock.DryRunLock;
import doorman.models.ModelFiles;
import doorman.pictures.FacePictures;
import doorman.pictures.SnapshotStore;
import doorman.pipeline.FacePipeline;
import doorman.policy.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real daemon keeps a snapshot of each refused visit through its own frame loop: an enrolled person recognised
 * outside their schedule (denied) and a stranger (stranger event) each leave one picture of the face, attached to
 * their audit event; nothing else does. Photos are not live, so liveness is off; the daemon's close waits for the writer.
 */
class DoorDaemonSnapshotTest {

    @TempDir
    Path data;

    @Test
    void aPersonOutsideTheirScheduleAndAStrangerLeaveOneSnapshotEach() throws Exception {
        List<List<Path>> people = DoorDaemonReplayTest.peopleWithAtLeast(TestData.dataset("lfw-train"), 4, 2);
        ModelFiles models = ModelFiles.locate();
        try (FacePipeline pipeline = FacePipeline.open(models, FacePipeline.Options.defaults()); Gallery gallery = Gallery.open(data)) {
            List<Path> photos = people.get(0);
            Person p = gallery.addPerson(photos.get(0).getParent().getFileName().toString());
            FacePipeline.FaceEmbedding face = pipeline.largest(photos.get(0));
            gallery.addTemplate(p.id(), face.embedding(), pipeline.encoderName(), "%064x".formatted(p.id()), face.face().score());
            // a day that is never today: the door recognises them and refuses them (a disabled person is not matched
            // at all, so the door sees a stranger)
            String otherDay = java.time.LocalDate.now(java.time.ZoneOffset.UTC).getDayOfWeek().plus(3).name().substring(0, 3);
            gallery.setSchedule(p.id(), otherDay.toLowerCase(java.util.Locale.ROOT));
        }
        List<Path> frames = new ArrayList<>();
        for (Path photo : people.get(0).subList(1, 4)) frames.addAll(List.of(photo, photo, photo)); // the enrolled person, on the wrong day
        for (Path photo : people.get(1).subList(0, 3)) frames.addAll(List.of(photo, photo, photo)); // a stranger
        DoormanConfig config = DoormanConfig.parse("""
                data-dir: %s
                camera: {type: replay, path: %s, fps-cap: 30}
                liveness: {enabled: false, i-understand: true}
                policy: {frames: 3, window-ms: 60000, cooldown-ms: 0, time-zone: UTC}
                lock: {type: dry-run, pulse-ms: 100}
                http: {enabled: false}
                """.formatted(data, data), "test config");
        try (DoorDaemon daemon = DoorDaemon.open(config, models, new DryRunLock(), new ReplaySource(frames, false),
                Clock.systemUTC(), DoorDaemonReplayTest.silent())) {
            assertEquals(0, daemon.run(0).failures());
        }

        try (AuditLog audit = AuditLog.open(data, AuditConfig.defaults(), Clock.systemUTC())) {
            SnapshotStore snapshots = SnapshotStore.open(data, 7, Clock.systemUTC(), audit::contains);
            List<AuditEvent> events = audit.query(AuditQuery.latest(100));
            List<AuditEvent> refused = events.stream().filter(e -> e.action() == Action.DENIED || e.action() == Action.STRANGER_EVENT).toList();
            assertTrue(refused.stream().anyMatch(e -> e.action() == Action.DENIED && e.reason().contains("outside their schedule")), events.toString());
            assertTrue(refused.stream().anyMatch(e -> e.action() == Action.STRANGER_EVENT), events.toString());
            for (AuditEvent e : events) {
                assertEquals(refused.contains(e), snapshots.has(e.id()), "snapshot for " + e);
                if (!refused.contains(e)) continue;
                Mat picture = Imgcodecs.imdecode(new MatOfByte(snapshots.get(e.id()).orElseThrow()), Imgcodecs.IMREAD_COLOR);
                try {
                    assertFalse(picture.empty());
                    assertTrue(Math.max(picture.cols(), picture.rows()) <= FacePictures.SNAPSHOT_SIDE, picture.size().toString());
                } finally {
                    picture.release();
                }
            }
            assertEquals(refused.size(), snapshots.size(), "one snapshot per refused visit, none for anything else");
        }
    }
}
