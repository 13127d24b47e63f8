package doorman.vision;

/** An image that cannot be used: missing, too large, or not a readable picture. The message is fit for a user. */
public class ImageException extends RuntimeException {

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
