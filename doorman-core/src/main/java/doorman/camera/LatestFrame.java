package doorman.camera;

import org.opencv.core.Mat;

import java.util.Optional;

/**
 * The newest frame the door loop looked at, kept for the API's "capture from the door camera". The loop hands
 * each frame over when done with it; readers get their own copy.
 */
public final class LatestFrame implements AutoCloseable {

    private Mat latest;

    /** Takes ownership of {@code frame} and releases the one it replaces. */
    public synchronized void replace(Mat frame) {
        if (latest != null) latest.release();
        latest = frame;
    }

    /** A copy the caller owns and releases; empty before the first frame. */
    public synchronized Optional<Mat> copy() {
        return latest == null ? Optional.empty() : Optional.of(latest.clone());
    }

    @Override
    public synchronized void close() {
        if (latest != null) latest.release();
        latest = null;
    }
}
