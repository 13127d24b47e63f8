package doorman.gallery;

/** The gallery's store cannot be used: locked by another process, damaged, or failing to read or write. */
public class GalleryException extends RuntimeException {

    public GalleryException(String message) {
        super(message);
    }

    public GalleryException(String message, Throwable cause) {
        super(message, cause);
    }
}
