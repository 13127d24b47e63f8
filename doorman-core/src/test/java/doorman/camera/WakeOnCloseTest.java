package doorman.camera;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class WakeOnCloseTest {

    @Test
    void wakeEndsAnHourLongWaitAndEveryLaterOne() throws Exception {
        WakeOnClose sleeper = new WakeOnClose();
        Thread waker = new Thread(sleeper::wake);
        waker.start();
        // only wake() can end this wait; the test's own timeout catches a miss
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> sleeper.sleep(Duration.ofHours(1)));
        waker.join();
        assertTrue(sleeper.woken());
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> sleeper.sleep(Duration.ofHours(1)));
    }

    @Test
    void aClosedFrameRateCapAsksItsSourceForNothingMore() {
        List<String> asked = new ArrayList<>();
        FrameSource inner = new FrameSource() {
            @Override
            public Optional<org.opencv.core.Mat> next() {
                asked.add("next");
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "counting";
            }

            @Override
            public void close() {
                asked.add("close");
            }
        };
        FrameRateCap cap = new FrameRateCap(inner, 0.001); // a frame every 1000 s: the second ask would wait that long
        assertTrue(cap.next().isEmpty());
        cap.close();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertTrue(cap.next().isEmpty()));
        assertEquals(List.of("next", "close"), asked, "after close: no wait and no read");
    }
}
