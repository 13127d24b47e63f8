package doorman.camera;

/**
 * A frame source failed: the device is missing or stopped answering, or the capture command died.
 * Unchecked so that sources can be opened from a {@link java.util.function.Supplier}; callers that must
 * survive it wrap their source in a {@link ReconnectingSource}.
 */
public class CameraException extends RuntimeException {

    public CameraException(String message) {
        super(message);
    }

    public CameraException(String message, Throwable cause) {
        super(message, cause);
    }
}
