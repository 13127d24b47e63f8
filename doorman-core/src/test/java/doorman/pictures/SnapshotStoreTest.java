package doorman.pictures;

import doorman.MutableClock;
import doorman.camera.OpenCv;
import doorman.vision.Face;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The refused visits' snapshots at rest: sealed, private, one per event, gone after their days or their event. */
public class SnapshotStoreTest {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    @TempDir
    Path data;

    /** A door frame with a face-like blob, and a face box on it. */
    static Mat frame() {
        OpenCv.load();
        Mat m = new Mat(480, 640, CvType.CV_8UC3, new Scalar(90, 110, 130));
        Imgproc.circle(m, new Point(320, 220), 80, new Scalar(150, 170, 210), -1);
        Imgproc.circle(m, new Point(290, 200), 10, new Scalar(20, 20, 20), -1);
        Imgproc.circle(m, new Point(350, 200), 10, new Scalar(20, 20, 20), -1);
        return m;
    }

    static final Face FACE = new Face(240, 140, 160, 160, 0.9f, new float[]{290, 200, 350, 200, 320, 230, 320, 260, 250, 210, 390, 210});

    /** A real snapshot JPEG of {@link #frame()}. */
    public static byte[] faceJpeg() {
        Mat m = frame();
        try {
            return FacePictures.snapshot(m, FACE);
        } finally {
            m.release();
        }
    }

    @Test
    void aSnapshotIsSealedPrivateAndOpensOnlyAsItsOwnEvent() throws IOException {
        MutableClock clock = new MutableClock(T0);
        SnapshotStore store = SnapshotStore.open(data, 7, clock, (id, t) -> true);
        byte[] jpeg = faceJpeg();
        Mat decoded = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
        assertTrue(Math.max(decoded.cols(), decoded.rows()) <= FacePictures.SNAPSHOT_SIDE, "bounded: " + decoded.size());
        decoded.release();

        store.put(5, T0, jpeg);
        store.put(5, T0, faceJpeg()); // at most one per event: the first stays
        assertTrue(store.has(5));
        assertArrayEquals(jpeg, store.get(5).orElseThrow());
        assertEquals(1, store.size());

        Path folder = data.resolve(SnapshotStore.DIR);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(SnapshotStore.KEY_FILE))));
        List<Path> files = list(folder);
        assertEquals(1, files.size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))));
        byte[] sealed = Files.readAllBytes(files.get(0));
        assertFalse(contains(sealed, "JFIF".getBytes(StandardCharsets.US_ASCII)), "no JPEG header in the file");
        assertFalse(contains(sealed, new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}), "no JPEG start in the file");
        for (int at = 20; at + 16 <= jpeg.length; at += 97)
            assertFalse(contains(sealed, java.util.Arrays.copyOfRange(jpeg, at, at + 16)), "no run of the picture at " + at);
        byte[] key = Files.readAllBytes(data.resolve(SnapshotStore.KEY_FILE));
        assertFalse(contains(sealed, key), "the key is never in the snapshot file");

        // a file renamed to another event does not open as that event's picture
        Files.move(files.get(0), folder.resolve("6-" + T0.toEpochMilli() + ".snap"));
        SnapshotStore reopened = SnapshotStore.open(data, 7, clock, (id, t) -> true);
        assertTrue(reopened.get(6).isEmpty());
        assertTrue(list(folder).isEmpty(), "a snapshot that does not open is deleted");
    }

    @Test
    void snapshotsGoAfterTheirDaysAndWithTheirEvent() throws IOException {
        MutableClock clock = new MutableClock(T0);
        Set<Long> audited = new HashSet<>(Set.of(1L, 2L, 3L));
        SnapshotStore store = SnapshotStore.open(data, 7, clock, (id, t) -> audited.contains(id));
        store.put(1, T0, faceJpeg());
        clock.advance(Duration.ofDays(3));
        store.put(2, clock.instant(), faceJpeg());
        store.put(3, clock.instant(), faceJpeg());
        assertEquals(0, store.prune());
        assertEquals(3, list(data.resolve(SnapshotStore.DIR)).size());

        audited.remove(3L); // the audit log pruned event 3
        assertTrue(store.get(3).isEmpty(), "not served once its event is gone");
        assertFalse(store.has(3));
        audited.remove(2L);
        assertEquals(1, store.prune(), "the sweep deletes the rest");
        assertFalse(store.has(2));
        audited.add(2L);
        store.put(2, clock.instant(), faceJpeg());

        clock.advance(Duration.ofDays(4).plusMinutes(1)); // event 1 is now older than 7 days, event 2 is not
        assertFalse(store.has(1));
        assertTrue(store.get(1).isEmpty());
        assertTrue(store.has(2));
        assertEquals(0, store.prune(), "the expired one went when it was asked for");
        assertEquals(1, list(data.resolve(SnapshotStore.DIR)).size());

        // a restart reads what is kept
        assertTrue(SnapshotStore.open(data, 7, clock, (id, t) -> audited.contains(id)).get(2).isPresent());
    }

    @Test
    void zeroDaysKeepsNoneAndDeletesWhatWasKept() throws IOException {
        MutableClock clock = new MutableClock(T0);
        SnapshotStore.open(data, 7, clock, (id, t) -> true).put(1, T0, faceJpeg());
        SnapshotStore off = SnapshotStore.open(data, 0, clock, (id, t) -> true);
        assertFalse(off.enabled());
        assertTrue(list(data.resolve(SnapshotStore.DIR)).isEmpty());
        off.put(2, T0, faceJpeg());
        assertFalse(off.has(2));
        assertTrue(off.get(1).isEmpty());
    }

    @Test
    void aLostKeyStartsAfreshInsteadOfStoppingTheDoor() throws IOException {
        MutableClock clock = new MutableClock(T0);
        SnapshotStore.open(data, 7, clock, (id, t) -> true).put(1, T0, faceJpeg());
        Files.delete(data.resolve(SnapshotStore.KEY_FILE));
        SnapshotStore fresh = SnapshotStore.open(data, 7, clock, (id, t) -> true);
        assertTrue(fresh.get(1).isEmpty());
        assertTrue(list(data.resolve(SnapshotStore.DIR)).isEmpty(), "snapshots no key can open are deleted");
        fresh.put(2, T0, faceJpeg());
        assertTrue(fresh.get(2).isPresent());
    }

    @Test
    void anOversizedSnapshotIsRefused() throws IOException {
        SnapshotStore store = SnapshotStore.open(data, 7, new MutableClock(T0), (id, t) -> true);
        assertThrows(IllegalArgumentException.class, () -> store.put(1, T0, new byte[SnapshotStore.MAX_BYTES + 1]));
        assertThrows(IllegalArgumentException.class, () -> store.put(1, T0, new byte[0]));
    }

    static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    public static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
