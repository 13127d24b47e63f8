package doorman.camera;

import doorman.MutableClock;
import doorman.camera.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class FrameGrabberTest {

    private static final Duration WAIT = Duration.ofSeconds(10); // generous: only a failure waits this long

    @BeforeAll
    static void natives() {
        OpenCv.load();
    }

    /** A camera the test feeds by hand: each offered number becomes a 1x1 frame of that grey value; -1 ends. */
    static final class HandFedSource implements FrameSource {
        final BlockingQueue<Integer> values = new LinkedBlockingQueue<>();
        volatile boolean closed;

        @Override
        public Optional<Mat> next() {
            try {
                Integer v = values.poll(30, TimeUnit.SECONDS);
                if (v == null || v < 0 || closed) return Optional.empty();
                return Optional.of(new Mat(1, 1, CvType.CV_8UC1, new Scalar(v)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public String describe() {
            return "hand-fed";
        }

        @Override
        public void close() {
            closed = true;
            values.offer(-1);
        }
    }

    private static int grey(Frame f) {
        return (int) f.image().get(0, 0)[0];
    }

    @Test
    void everyModeHandsOverEachFrameInOrderThenEnds() throws InterruptedException {
        HandFedSource source = new HandFedSource();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (FrameGrabber grabber = new FrameGrabber(source, FrameGrabber.Mode.EVERY, clock, Duration.ofSeconds(5)).start()) {
            for (int v = 1; v <= 5; v++) source.values.offer(v);
            source.values.offer(-1);
            List<Integer> seen = new ArrayList<>();
            while (true) {
                Optional<Frame> f = grabber.poll(WAIT);
                if (f.isEmpty()) break;
                try (Frame frame = f.get()) {
                    seen.add(grey(frame));
                }
            }
            assertEquals(List.of(1, 2, 3, 4, 5), seen);
            assertTrue(grabber.ended());
            assertEquals(0, grabber.status().dropped());
        }
    }

    @Test
    void latestModeKeepsOnlyTheNewestFrameAndCountsTheDropped() throws InterruptedException {
        HandFedSource source = new HandFedSource();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (FrameGrabber grabber = new FrameGrabber(source, FrameGrabber.Mode.LATEST, clock, Duration.ofSeconds(5)).start()) {
            for (int v = 1; v <= 4; v++) source.values.offer(v);
            source.values.offer(-1); // the end makes the reader finish, so all four frames have passed the slot
            while (!grabber.ended() && grabber.status().frames() < 4) Thread.onSpinWait();
            Frame newest = grabber.poll(WAIT).orElseThrow();
            try (newest) {
                assertEquals(4, grey(newest), "only the newest frame waits in the slot");
            }
            assertEquals(3, grabber.status().dropped());
            assertTrue(grabber.poll(Duration.ZERO).isEmpty());
        }
    }

    @Test
    void aSilentCameraTimesOutThePollAndIsReportedDownUntilFramesReturn() throws InterruptedException {
        HandFedSource source = new HandFedSource();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (FrameGrabber grabber = new FrameGrabber(source, FrameGrabber.Mode.LATEST, clock, Duration.ofSeconds(5)).start()) {
            assertTrue(grabber.status().up(), "no frame yet, but within the grace a camera gets to start");
            clock.advance(Duration.ofSeconds(6));
            assertFalse(grabber.status().up(), "no first frame within 5 s: down");
            source.values.offer(7);
            Frame first = grabber.poll(WAIT).orElseThrow();
            assertEquals(clock.instant(), first.capturedAt(), "stamped when it arrived");
            first.close();
            assertTrue(grabber.status().up());

            clock.advance(Duration.ofSeconds(60));
            assertTrue(grabber.poll(Duration.ofMillis(20)).isEmpty(), "the loop is never blocked by a silent camera");
            assertFalse(grabber.ended());
            CameraStatus down = grabber.status();
            assertFalse(down.up());
            assertEquals(Instant.parse("2026-01-01T00:00:06Z"), down.lastFrameAt());

            source.values.offer(8);
            try (Frame back = grabber.poll(WAIT).orElseThrow()) {
                assertEquals(8, grey(back));
                assertEquals(clock.instant(), back.capturedAt());
            }
            assertTrue(grabber.status().up());
        }
    }

    @Test
    void closingStopsTheReaderAndTheSource() throws InterruptedException {
        HandFedSource source = new HandFedSource();
        FrameGrabber grabber = new FrameGrabber(source, FrameGrabber.Mode.EVERY,
                new MutableClock(Instant.EPOCH), Duration.ofSeconds(5)).start();
        source.values.offer(1);
        source.values.offer(2); // waits for the slot to empty: close must cut that wait short
        grabber.close();
        assertTrue(source.closed);
        assertTrue(grabber.ended());
        assertTrue(grabber.poll(Duration.ZERO).isEmpty());
    }

    @Test
    void stopReadingWakesALongPollAtOnce() throws Exception {
        HandFedSource source = new HandFedSource();
        try (FrameGrabber grabber = new FrameGrabber(source, FrameGrabber.Mode.LATEST,
                new MutableClock(Instant.EPOCH), Duration.ofSeconds(5)).start()) {
            Thread stopper = new Thread(grabber::stopReading);
            stopper.start();
            // an hour-long poll: only the stop can end it, and the test's own timeout would catch a miss
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertTrue(grabber.poll(Duration.ofHours(1)).isEmpty()));
            stopper.join();
            assertTrue(source.closed, "stopping closes the source, which cuts its blocked read short");
            assertTrue(grabber.ended());
        }
    }
}
