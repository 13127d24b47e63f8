package doorman.http;

import doorman.camera.CameraStatus;
import org.opencv.core.Mat;

import java.util.Optional;

/**
 * The door camera as the API sees it while the daemon runs ({@code doorman run}); absent under
 * {@code doorman serve}, where capture requests get 409.
 */
public interface DoorCamera {

    /** A copy of the newest frame (8-bit BGR) that the caller owns and releases; empty when none came lately. */
    Optional<Mat> latestFrame();

    /** The camera's health for /healthz; empty where nobody watches a camera. */
    default Optional<CameraStatus> status() {
        return Optional.empty();
    }
}
