package doorman.camera;

import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a {@link FrameSource} on its own thread and hands frames to the door loop through one slot, stamped with
 * the time they arrived. A live camera uses {@link Mode#LATEST}: a new frame replaces one the loop has not taken
 * yet (the old one is released and counted as dropped), so the loop always sees the newest frame and never a
 * queue of old ones. A replayed file uses {@link Mode#EVERY}: the reader waits until the loop took the frame, so
 * every recorded frame is decided on, in order.
 *
 * <p>The loop waits for a frame with a timeout ({@link #poll}), so a silent camera never blocks it: it keeps
 * feeding the watchdog and reports the camera down ({@link #status}) instead of being restarted in a loop.
 */
public final class FrameGrabber implements AutoCloseable {

    public enum Mode { LATEST, EVERY }

    private static final Logger log = LoggerFactory.getLogger(FrameGrabber.class);
    /** How long close waits for the reader to notice; a closed source normally returns at once. */
    static final Duration READER_JOIN = Duration.ofMillis(500);

    private final FrameSource source;
    private final Mode mode;
    private final Clock clock;
    private final Duration downAfter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread reader;
    private Frame slot;
    private Instant lastFrameAt;
    private Instant startedAt;
    private long frames, dropped;
    private boolean ended, closed;

    /**
     * @param downAfter how long without a frame before the camera counts as down
     */
    public FrameGrabber(FrameSource source, Mode mode, Clock clock, Duration downAfter) {
        this.source = source;
        this.mode = mode;
        this.clock = clock;
        this.downAfter = downAfter;
        this.reader = new Thread(this::readAll, "camera");
        reader.setDaemon(true);
    }

    /** Starts reading; frames before this call are never taken from the source. */
    public FrameGrabber start() {
        lock.lock();
        try {
            startedAt = clock.instant();
        } finally {
            lock.unlock();
        }
        reader.start();
        return this;
    }

    /**
     * The next frame, waiting at most {@code timeout}; empty when none came in time or the stream ended
     * ({@link #ended()} tells which). The caller owns the frame and closes it.
     */
    public Optional<Frame> poll(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (slot == null && !ended && !closed) {
                if (left <= 0) return Optional.empty();
                left = changed.awaitNanos(left);
            }
            Frame taken = slot;
            slot = null;
            changed.signalAll();
            return Optional.ofNullable(taken);
        } finally {
            lock.unlock();
        }
    }

    /** True once the source has no more frames (a replay without loop) and the last one was taken. */
    public boolean ended() {
        lock.lock();
        try {
            return (ended || closed) && slot == null;
        } finally {
            lock.unlock();
        }
    }

    public CameraStatus status() {
        lock.lock();
        try {
            // a camera gets the same grace to deliver its first frame as between frames
            Instant now = clock.instant();
            Instant since = lastFrameAt != null ? lastFrameAt : startedAt;
            boolean up = since != null && !ended && Duration.between(since, now).compareTo(downAfter) <= 0;
            return new CameraStatus(up, lastFrameAt, frames, dropped, source.describe());
        } finally {
            lock.unlock();
        }
    }

    private void readAll() {
        try {
            while (!isClosed()) {
                Optional<Mat> next = source.next();
                if (next.isEmpty()) break;
                offer(new Frame(next.get(), clock.instant()));
            }
        } catch (RuntimeException e) {
            if (!isClosed()) log.error("camera reader stopped: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.lock();
            try {
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void offer(Frame frame) throws InterruptedException {
        lock.lock();
        try {
            if (mode == Mode.EVERY) while (slot != null && !closed) changed.await(100, TimeUnit.MILLISECONDS);
            if (closed) {
                frame.close();
                return;
            }
            if (slot != null) {
                slot.close();
                dropped++;
            }
            slot = frame;
            frames++;
            lastFrameAt = frame.capturedAt();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells the reader to stop and wakes a waiting {@link #poll} at once (it returns empty and {@link #ended()} turns
     * true); closing the source cuts a blocked read or a reconnect wait short. Does not wait for the reader, so a
     * shutdown hook can call it while the loop is busy; {@link #close()} finishes the job.
     */
    public void stopReading() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        source.close();
    }

    /** Stops the reader and frees a waiting frame. */
    @Override
    public void close() {
        stopReading();
        try {
            // bounded: the reader is a daemon thread and a frame it still offers after this is freed by offer()
            reader.join(READER_JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            if (slot != null) slot.close();
            slot = null;
        } finally {
            lock.unlock();
        }
    }
}
