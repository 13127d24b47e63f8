package doorman.camera;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.opencv.core.Mat;

/**
 * Passes frames through at most {@code maxFps} times a second by sleeping before asking the inner source,
 * which spares the CPU the decoding of frames nobody would look at. An interrupt while sleeping ends the
 * stream (empty) and keeps the thread's interrupt flag set.
 */
public final class FrameRateCap implements FrameSource {

    private final FrameSource inner;
    private final double maxFps;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private final WakeOnClose closed = new WakeOnClose();
    private boolean asked;
    private long lastAskNanos;

    public FrameRateCap(FrameSource inner, double maxFps) {
        this(inner, maxFps, System::nanoTime, null);
    }

    /**
     * For tests: a fake monotonic clock in nanoseconds and a sleeper that records instead of waiting (null: real
     * waits, cut short by {@link #close()}).
     */
    public FrameRateCap(FrameSource inner, double maxFps, LongSupplier nanoClock, Sleeper sleeper) {
        if (!(maxFps > 0)) throw new IllegalArgumentException("maxFps must be positive, got " + maxFps);
        this.inner = inner;
        this.maxFps = maxFps;
        this.intervalNanos = Math.round(1e9 / maxFps);
        this.nanoClock = nanoClock;
        this.sleeper = sleeper != null ? sleeper : closed;
    }

    @Override
    public Optional<Mat> next() {
        if (asked) {
            long wait = lastAskNanos + intervalNanos - nanoClock.getAsLong();
            if (wait > 0) {
                try {
                    sleeper.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        if (closed.woken()) return Optional.empty();
        asked = true;
        lastAskNanos = nanoClock.getAsLong();
        return inner.next();
    }

    @Override
    public String describe() {
        return inner.describe() + ", at most " + maxFps + " fps";
    }

    @Override
    public void close() {
        closed.wake();
        inner.close();
    }
}
