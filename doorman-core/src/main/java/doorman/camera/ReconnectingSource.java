package doorman.camera;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a camera stream alive: when the inner source throws or ends, it is closed, the failure is logged, and
 * a fresh one is opened through the supplier after an exponential backoff (0.5 s doubling to 30 s, back to
 * 0.5 s after the next good frame). A failing opener is retried the same way. It never gives up; the stream
 * ends only when this source is closed (from any thread, which also cuts a backoff wait short) or the thread
 * is interrupted.
 */
public final class ReconnectingSource implements FrameSource {

    public static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ReconnectingSource.class);

    private final Supplier<? extends FrameSource> opener;
    private final Sleeper sleeper;
    private final CountDownLatch closedSignal = new CountDownLatch(1);
    private final Object lock = new Object();
    private volatile boolean closed;
    private FrameSource current;
    private String lastDescription = "not yet opened";
    private Duration backoff = FIRST_BACKOFF;
    private boolean everOpened;
    private long reopenings;

    /** Opens lazily, on the first {@link #next()}. */
    public ReconnectingSource(Supplier<? extends FrameSource> opener) {
        this.opener = opener;
        this.sleeper = this::awaitCloseOrTimeout;
    }

    /** For tests: a sleeper that records the backoff waits instead of spending them. */
    public ReconnectingSource(Supplier<? extends FrameSource> opener, Sleeper sleeper) {
        this.opener = opener;
        this.sleeper = sleeper;
    }

    @Override
    public Optional<Mat> next() {
        while (!closed) {
            FrameSource source = currentOrOpen();
            if (source != null) {
                try {
                    Optional<Mat> frame = source.next();
                    if (frame.isPresent()) {
                        backoff = FIRST_BACKOFF;
                        return frame;
                    }
                    if (closed) break;
                    log.warn("{} ended unexpectedly; reopening in {} ms", source.describe(), backoff.toMillis());
                } catch (RuntimeException e) {
                    if (closed) break;
                    log.warn("{} failed: {}; reopening in {} ms", source.describe(), e.getMessage(),
                            backoff.toMillis());
                }
                closeCurrent();
            }
            if (!waitBackoff()) break;
        }
        return Optional.empty();
    }

    /** How many times a source was opened after the first. */
    public long reopenings() {
        synchronized (lock) {
            return reopenings;
        }
    }

    @Override
    public String describe() {
        synchronized (lock) {
            return "reconnecting " + (current != null ? current.describe() : lastDescription);
        }
    }

    @Override
    public void close() {
        closed = true;
        closedSignal.countDown();
        closeCurrent();
    }

    private FrameSource currentOrOpen() {
        synchronized (lock) {
            if (current != null) return current;
        }
        FrameSource opened;
        try {
            opened = opener.get();
        } catch (RuntimeException e) {
            log.warn("opening the camera failed: {}; retrying in {} ms", e.getMessage(), backoff.toMillis());
            return null;
        }
        synchronized (lock) {
            if (closed) {
                opened.close();
                return null;
            }
            if (everOpened) reopenings++;
            everOpened = true;
            current = opened;
            lastDescription = opened.describe();
            return opened;
        }
    }

    private void closeCurrent() {
        FrameSource toClose;
        synchronized (lock) {
            toClose = current;
            current = null;
        }
        if (toClose == null) return;
        try {
            toClose.close();
        } catch (RuntimeException e) {
            log.warn("closing {} failed: {}", toClose.describe(), e.getMessage());
        }
    }

    /** False when the wait was cut short by close or interrupt. */
    private boolean waitBackoff() {
        Duration wait = backoff;
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed;
    }

    private void awaitCloseOrTimeout(Duration wait) throws InterruptedException {
        closedSignal.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }
}
