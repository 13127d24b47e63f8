package doorman.lab.bench;

import doorman.camera.FrameSource;
import doorman.vision.ImageDecoder;
import org.opencv.core.Mat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A camera that delivers the recording's JPEG frames on a fixed schedule (frame i is due {@code i / fps} seconds after
 * the first) and decodes each one as an MJPEG camera's reader does. It records, per frame, the monotonic time it
 * arrived (before decoding), so a latency can be measured from the moment a face was in front of the camera.
 */
public final class PacedSource implements FrameSource {

    private final List<DoorFrames.Shot> shots;
    private final long intervalNanos;
    private final long[] arrivals;
    private int next;
    private long startNanos;
    private volatile boolean closed;

    public PacedSource(List<DoorFrames.Shot> shots, double fps) {
        this.shots = shots;
        this.intervalNanos = Math.round(1e9 / fps);
        this.arrivals = new long[shots.size()];
    }

    @Override
    public Optional<Mat> next() {
        if (closed || next >= shots.size()) return Optional.empty();
        if (next == 0) startNanos = System.nanoTime();
        long due = startNanos + next * intervalNanos;
        for (long wait; (wait = due - System.nanoTime()) > 0 && !closed; ) LockSupport.parkNanos(wait);
        if (closed) return Optional.empty();
        arrivals[next] = System.nanoTime();
        return Optional.of(ImageDecoder.decode(shots.get(next++).jpeg()));
    }

    /** When frame {@code i} arrived ({@link System#nanoTime()}), or 0 if it never did. */
    public long arrival(int i) {
        return arrivals[i];
    }

    public int delivered() {
        return next;
    }

    @Override
    public String describe() {
        return "paced recording of " + shots.size() + " frames at " + (1e9 / intervalNanos) + " fps";
    }

    @Override
    public void close() {
        closed = true;
    }
}
