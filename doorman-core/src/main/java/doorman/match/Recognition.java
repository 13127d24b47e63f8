package doorman.match;

/**
 * What the matcher made of a face (or a visit): the one answer the matcher, the door decision, the unlock policy
 * and the audit share. Only {@link #ACCEPT} may open the door.
 */
public enum Recognition {
    /** Close enough to one enrolled person to be them. */
    ACCEPT,
    /** Between the accept and unknown margins: neither a known person nor a stranger. */
    UNCERTAIN,
    /** Far from everyone enrolled. */
    STRANGER,
    /** No face was found, or none good enough to match. */
    NO_FACE
}
