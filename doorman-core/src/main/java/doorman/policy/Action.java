package doorman.policy;

/** What the daemon does about a frame. */
public enum Action {
    /** Pulse the relay: a known, allowed, live person was seen for long enough. */
    UNLOCK,
    /** A known person was seen for long enough but is disabled or outside their schedule: audit, do not open. */
    DENIED,
    /** An unknown face was seen clearly: audit it (rate-limited). */
    STRANGER_EVENT,
    /** Nothing to do or report yet. */
    NONE,
    /** Not a door decision: a change to who can enter (enroll, remove, rename, enable, schedule, faces) or a failed sign-in. */
    ADMIN
}
