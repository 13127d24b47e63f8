package doorman.camera;

import java.util.Optional;
import org.opencv.core.Mat;

/**
 * A stream of BGR frames from a camera, a capture command or files. Not thread-safe, except that
 * {@link #close()} may be called from another thread to stop a {@link #next()} that is blocked.
 */
public interface FrameSource extends AutoCloseable {

    /**
     * Blocks until the next frame and returns it, or returns empty once the stream has ended.
     * The caller owns the returned Mat and must release it.
     *
     * @throws CameraException when the device or command fails
     */
    Optional<Mat> next();

    /** What this source reads, for logs and reports (for example "v4l2 /dev/video0 640x480@15"). */
    String describe();

    /** Releases the device or stops the command; never throws. */
    @Override
    void close();
}
