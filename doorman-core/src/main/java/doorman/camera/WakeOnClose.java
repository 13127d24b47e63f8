package doorman.camera;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Sleeper} whose waits end at once, and stay ended, after {@link #wake()}: a source calls it from its
 * {@code close()} so a stop never waits out a frame-rate pause or a reconnect backoff.
 */
public final class WakeOnClose implements Sleeper {

    private final CountDownLatch woken = new CountDownLatch(1);

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        woken.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Ends the current wait and every later one. */
    public void wake() {
        woken.countDown();
    }

    public boolean woken() {
        return woken.getCount() == 0;
    }
}
