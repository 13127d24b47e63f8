package doorman.tflite;

/** A model could not be loaded or run; the message names the model file and what went wrong. */
public class TfliteException extends RuntimeException {
    public TfliteException(String message) {
        super(message);
    }

    public TfliteException(String message, Throwable cause) {
        super(message, cause);
    }
}
