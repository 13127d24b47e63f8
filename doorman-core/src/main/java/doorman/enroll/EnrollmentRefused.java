package doorman.enroll;

/**
 * A photo or frame that cannot be enrolled, with a short reason code for metrics ("no-face", "blurry", "spoof")
 * and a message a person can act on. The HTTP API answers 422 with it, the CLI exits 3.
 */
public final class EnrollmentRefused extends RuntimeException {

    private final String reason;

    EnrollmentRefused(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
