package doorman.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/** Runs real child processes (bash + cat) that write MJPEG to a pipe. */
class MjpegCommandSourceTest {

    @TempDir
    Path dir;

    @Test
    void splitsConcatenatedJpegsInOrderAndEndsWhenTheCommandExitsCleanly() throws IOException {
        List<Path> jpegs = TestJpegs.write(dir, 3);
        try (MjpegCommandSource source = new MjpegCommandSource(catCommand("", jpegs))) {
            assertEquals(List.of(TestJpegs.width(0), TestJpegs.width(1), TestJpegs.width(2)), drainWidths(source));
            assertEquals(3, source.framesDecoded());
            assertEquals(0, source.corruptFrames());
            assertTrue(source.next().isEmpty(), "stays ended");
        }
    }

    @Test
    void skipsAndCountsCorruptFramesAndGarbageBetweenFrames() throws IOException {
        List<Path> jpegs = TestJpegs.write(dir, 3);
        byte[] second = Files.readAllBytes(jpegs.get(1));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes("garbage before the first frame\n".getBytes(StandardCharsets.US_ASCII));
        stream.writeBytes(Files.readAllBytes(jpegs.get(0)));
        stream.writeBytes(structurallyValidButEmptyJpeg()); // the decoder rejects it
        stream.writeBytes(Arrays.copyOf(second, second.length / 2)); // cut off mid-scan by the next frame
        stream.writeBytes(Files.readAllBytes(jpegs.get(2)));
        Path file = Files.write(dir.resolve("stream.mjpeg"), stream.toByteArray());

        try (MjpegCommandSource source = new MjpegCommandSource(catCommand("", List.of(file)))) {
            assertEquals(List.of(TestJpegs.width(0), TestJpegs.width(2)), drainWidths(source));
            assertEquals(2, source.corruptFrames());
        }
    }

    @Test
    void dropsFramesOverTheByteBoundAndKeepsGoing() throws IOException {
        List<Path> jpegs = TestJpegs.write(dir, 3);
        int small = (int) Files.size(jpegs.get(0));
        assertTrue(Files.size(jpegs.get(2)) > small + 2048, "the third frame must be clearly larger");
        List<Path> stream = List.of(jpegs.get(0), jpegs.get(2), jpegs.get(0));
        try (MjpegCommandSource source = new MjpegCommandSource(catCommand("", stream), Math.max(1024, small + 1024))) {
            assertEquals(List.of(TestJpegs.width(0), TestJpegs.width(0)), drainWidths(source));
            assertEquals(1, source.corruptFrames());
        }
    }

    @Test
    void anExifThumbnailInsideAFrameDoesNotCutItShort() throws IOException {
        List<Path> jpegs = TestJpegs.write(dir, 2);
        byte[] thumbnail = Files.readAllBytes(jpegs.get(0));
        byte[] main = Files.readAllBytes(jpegs.get(1));
        ByteArrayOutputStream withExif = new ByteArrayOutputStream();
        withExif.write(0xFF);
        withExif.write(0xD8);
        byte[] exifHeader = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + exifHeader.length + thumbnail.length;
        assertTrue(length < 65536, "an APP1 segment holds at most 64 KB");
        withExif.write(0xFF);
        withExif.write(0xE1);
        withExif.write(length >> 8);
        withExif.write(length & 0xFF);
        withExif.writeBytes(exifHeader);
        withExif.writeBytes(thumbnail);
        withExif.write(main, 2, main.length - 2);
        Path file = Files.write(dir.resolve("exif.jpg"), withExif.toByteArray());

        try (MjpegCommandSource source = new MjpegCommandSource(catCommand("", List.of(file, file)))) {
            assertEquals(List.of(TestJpegs.width(1), TestJpegs.width(1)), drainWidths(source));
            assertEquals(0, source.corruptFrames());
        }
    }

    @Test
    void aCommandThatDiesIsACameraExceptionCarryingItsLastWords() throws IOException {
        List<Path> jpegs = TestJpegs.write(dir, 2);
        try (MjpegCommandSource source = new MjpegCommandSource(
                catCommand("echo 'camera unplugged' >&2; exit 3", jpegs))) {
            release(source.next());
            release(source.next());
            CameraException e = assertThrows(CameraException.class, source::next);
            assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
            assertTrue(e.getMessage().contains("camera unplugged"), e.getMessage());
        }
    }

    @Test
    void reconnectingSourceRestartsADyingCommand() throws IOException {
        List<Path> jpegs = TestJpegs.write(dir, 2);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        try (ReconnectingSource source = new ReconnectingSource(
                () -> new MjpegCommandSource(catCommand("exit 1", jpegs)), waits::add)) {
            List<Integer> widths = new ArrayList<>();
            for (int i = 0; i < 5; i++) widths.add(widthOf(source.next()));
            assertEquals(List.of(TestJpegs.width(0), TestJpegs.width(1), TestJpegs.width(0), TestJpegs.width(1),
                    TestJpegs.width(0)), widths);
            assertEquals(2, source.reopenings());
            // each run delivered frames, so the backoff restarted from its first step every time
            assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(500)), waits);
        }
    }

    @Test
    void closeFromAnotherThreadUnblocksNextAndKillsTheChild() throws Exception {
        List<Path> jpegs = TestJpegs.write(dir, 1);
        Set<Long> before = descendantPids();
        MjpegCommandSource source = new MjpegCommandSource(catCommand("exec sleep 60", jpegs));
        release(source.next());
        Set<Long> started = descendantPids();
        started.removeAll(before);
        assertFalse(started.isEmpty(), "the command runs as a child process");

        Thread closer = new Thread(() -> {
            sleepQuietly(300);
            source.close();
        });
        long t0 = System.nanoTime();
        closer.start();
        assertTrue(source.next().isEmpty(), "a closed source ends its stream");
        closer.join();
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "close did not unblock next()");
        for (long pid : started) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " alive");
        }
    }

    @Test
    void aCommandThatCannotStartIsAClearError() {
        CameraException e = assertThrows(CameraException.class,
                () -> new MjpegCommandSource(List.of("/nonexistent/rpicam-vid", "-o", "-")));
        assertTrue(e.getMessage().contains("cannot start capture command"), e.getMessage());
    }

    /** {@code bash -c 'cat FILES; AFTER'}: the files are passed as arguments, so no quoting is involved. */
    private static List<String> catCommand(String after, List<Path> files) {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "cat \"$@\"; " + after, "bash"));
        files.forEach(f -> command.add(f.toString()));
        return command;
    }

    private static byte[] structurallyValidButEmptyJpeg() {
        byte[] comment = "no image here".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xFE, 0, (byte) (comment.length + 2)});
        out.writeBytes(comment);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    private static List<Integer> drainWidths(FrameSource source) {
        List<Integer> widths = new ArrayList<>();
        for (Optional<Mat> frame = source.next(); frame.isPresent(); frame = source.next()) {
            widths.add(widthOf(frame));
        }
        return widths;
    }

    private static int widthOf(Optional<Mat> frame) {
        Mat image = frame.orElseThrow(() -> new AssertionError("expected a frame"));
        try {
            return image.cols();
        } finally {
            image.release();
        }
    }

    private static void release(Optional<Mat> frame) {
        frame.orElseThrow(() -> new AssertionError("expected a frame")).release();
    }

    private static Set<Long> descendantPids() {
        try (Stream<ProcessHandle> all = ProcessHandle.current().descendants()) {
            return all.map(ProcessHandle::pid).collect(Collectors.toSet());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
