package doorman.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class ReconnectingSourceTest {

    static {
        OpenCv.load();
    }

    /** Plays back a script: a number is a frame of that width, "fail" throws, "end" ends the stream. */
    private static final class ScriptedSource implements FrameSource {
        private final Deque<String> script;
        boolean closed;

        ScriptedSource(String... steps) {
            script = new ArrayDeque<>(List.of(steps));
        }

        @Override
        public Optional<Mat> next() {
            String step = script.isEmpty() ? "end" : script.poll();
            if (step.equals("fail")) throw new CameraException("device went away");
            if (step.equals("end")) return Optional.empty();
            return Optional.of(Mat.zeros(2, Integer.parseInt(step), CvType.CV_8UC3));
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void backoffDoublesFromHalfASecondUpToThirtySecondsWhileOpeningFails() {
        AtomicInteger attempts = new AtomicInteger();
        List<Duration> waits = new ArrayList<>();
        try (ReconnectingSource source = new ReconnectingSource(() -> {
            if (attempts.incrementAndGet() <= 8) throw new CameraException("no camera yet");
            return new ScriptedSource("7");
        }, waits::add)) {
            assertEquals(7, width(source.next()));
        }
        assertEquals(List.of(ms(500), ms(1000), ms(2000), ms(4000), ms(8000), ms(16000), ms(30000), ms(30000)),
                waits);
    }

    @Test
    void aFailureOrAnEndClosesTheSourceAndOpensAFreshOne() {
        List<ScriptedSource> opened = new ArrayList<>();
        Deque<ScriptedSource> scripts = new ArrayDeque<>(List.of(
                new ScriptedSource("1", "fail"), new ScriptedSource("2", "end"), new ScriptedSource("3")));
        List<Duration> waits = new ArrayList<>();
        try (ReconnectingSource source = new ReconnectingSource(() -> {
            ScriptedSource next = scripts.poll();
            opened.add(next);
            return next;
        }, waits::add)) {
            assertEquals(1, width(source.next()));
            assertEquals(2, width(source.next()));
            assertEquals(3, width(source.next()));
            assertEquals(2, source.reopenings());
            assertTrue(opened.get(0).closed && opened.get(1).closed, "failed sources are closed");
        }
        assertTrue(opened.get(2).closed, "closing the wrapper closes the live source");
        assertEquals(List.of(ms(500), ms(500)), waits);
    }

    @Test
    void closeFromAnotherThreadCutsARealBackoffWaitShort() throws InterruptedException {
        ReconnectingSource source = new ReconnectingSource(() -> {
            throw new CameraException("never there");
        });
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(700); // past the first 0.5 s wait, inside the second (1 s) one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            source.close();
        });
        long t0 = System.nanoTime();
        closer.start();
        assertTrue(source.next().isEmpty());
        closer.join();
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "close did not wake the wait");
    }

    @Test
    void aCloseDuringTheBackoffEndsTheStreamWithoutAnotherOpen() {
        AtomicInteger opens = new AtomicInteger();
        List<Duration> waits = new ArrayList<>();
        ReconnectingSource[] source = new ReconnectingSource[1];
        // the close arrives while the source waits out its first backoff, as a SIGTERM would
        source[0] = new ReconnectingSource(() -> {
            opens.incrementAndGet();
            throw new CameraException("no /dev/video0");
        }, wait -> {
            waits.add(wait);
            source[0].close();
        });
        assertTrue(source[0].next().isEmpty(), "a closed source ends its stream");
        assertEquals(1, opens.get(), "no reopening after close");
        assertEquals(List.of(ms(500)), waits);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static int width(Optional<Mat> frame) {
        Mat image = frame.orElseThrow();
        try {
            return image.cols();
        } finally {
            image.release();
        }
    }
}
