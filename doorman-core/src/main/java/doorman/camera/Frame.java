package doorman.camera;

import org.opencv.core.Mat;

import java.time.Instant;

/**
 * One camera frame (8-bit BGR) and when it arrived from the camera. The time travels with the pixels, so the
 * unlock policy can refuse a frame that waited too long, however late the loop got to it. Closing releases the
 * native pixels.
 */
public record Frame(Mat image, Instant capturedAt) implements AutoCloseable {

    @Override
    public void close() {
        image.release();
    }
}
