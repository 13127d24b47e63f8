package doorman.pictures;

import doorman.MutableClock;
import doorman.audit.AuditEvent;
import doorman.metrics.Metrics;
import doorman.policy.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The door loop's side of the snapshots: only refused visits with a stored event get one, and a disk that fails
 * costs a counted, logged-once failure, never an exception in the loop. {@code close()} waits for the writer thread,
 * so nothing here depends on timing.
 */
class RefusedVisitSnapshotsTest {

    static final Instant T = SnapshotStoreTest.T0;

    @TempDir
    Path data;

    private static AuditEvent event(long id, Action action) {
        return new AuditEvent(id, T, action, action == Action.DENIED ? 4L : null, null, 1.2, 0.1, 0.3, "ok", "test");
    }

    @Test
    void strangersAndRefusalsGetOneSnapshotUnlocksAndUnstoredEventsNone() throws Exception {
        SnapshotStore store = SnapshotStore.open(data, 7, new MutableClock(T), (id, t) -> true);
        Metrics metrics = new Metrics();
        Mat frame = SnapshotStoreTest.frame();
        try (RefusedVisitSnapshots snapshots = new RefusedVisitSnapshots(store, metrics)) {
            snapshots.offer(event(1, Action.STRANGER_EVENT), frame, SnapshotStoreTest.FACE);
            snapshots.offer(event(2, Action.DENIED), frame, SnapshotStoreTest.FACE);
            snapshots.offer(event(3, Action.UNLOCK), frame, SnapshotStoreTest.FACE);
            snapshots.offer(event(0, Action.STRANGER_EVENT), frame, SnapshotStoreTest.FACE); // the audit store failed
            snapshots.offer(event(5, Action.STRANGER_EVENT), frame, null);
            snapshots.offer(null, frame, SnapshotStoreTest.FACE);
        } finally {
            frame.release();
        }
        assertTrue(store.has(1));
        assertTrue(store.has(2));
        assertEquals(2, store.size());
        assertTrue(metrics.render().contains(RefusedVisitSnapshots.STORED + " 2"), metrics.render());
    }

    @Test
    void aFailingDiskIsCountedAndNeverThrowsIntoTheLoop() throws Exception {
        SnapshotStore store = SnapshotStore.open(data, 7, new MutableClock(T), (id, t) -> true);
        Files.delete(data.resolve(SnapshotStore.DIR)); // the folder vanished: every write fails
        Metrics metrics = new Metrics();
        Mat frame = SnapshotStoreTest.frame();
        try (RefusedVisitSnapshots snapshots = new RefusedVisitSnapshots(store, metrics)) {
            assertDoesNotThrow(() -> snapshots.offer(event(1, Action.STRANGER_EVENT), frame, SnapshotStoreTest.FACE));
            assertDoesNotThrow(() -> snapshots.offer(event(2, Action.STRANGER_EVENT), frame, SnapshotStoreTest.FACE));
        } finally {
            frame.release();
        }
        assertEquals(0, store.size());
        assertTrue(metrics.render().contains(RefusedVisitSnapshots.FAILURES + "{stage=\"write\"} 2"), metrics.render());
    }
}
