package doorman.camera;

import doorman.TestData;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

class FrameRateCapTest {

    @Test
    void sleepsOnlyTheRestOfEachFrameInterval() {
        var folder = TestData.dataset("samples/group-photos");
        AtomicLong now = new AtomicLong();
        List<Duration> sleeps = new ArrayList<>();
        Sleeper fakeSleep = d -> {
            sleeps.add(d);
            now.addAndGet(d.toNanos());
        };
        try (FrameRateCap capped = new FrameRateCap(ReplaySource.ofFolder(folder, true), 10, now::get, fakeSleep)) {
            release(capped); // the first frame never waits
            now.addAndGet(Duration.ofMillis(30).toNanos()); // the caller spent 30 ms on it
            release(capped);
            now.addAndGet(Duration.ofMillis(250).toNanos()); // a slow caller: already past the interval
            release(capped);
            release(capped);
        }
        assertEquals(List.of(Duration.ofMillis(70), Duration.ofMillis(100)), sleeps);
    }

    private static void release(FrameSource source) {
        Mat frame = source.next().orElseThrow();
        frame.release();
    }
}
