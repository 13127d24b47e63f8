package doorman.lock;

/** The configured relay cannot be driven; the message says why and what to do instead. */
public class LockUnavailableException extends RuntimeException {
    public LockUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
