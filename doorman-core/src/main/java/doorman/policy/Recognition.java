package doorman.policy;

/** What the matcher made of the best face in a frame. */
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
