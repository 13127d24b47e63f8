package doorman.gallery;

/** A change was refused because it would duplicate a person's name or a photo's template (HTTP 409). */
public class DuplicateEntryException extends IllegalArgumentException {

    public DuplicateEntryException(String message) {
        super(message);
    }
}
