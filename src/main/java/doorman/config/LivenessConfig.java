package doorman.config;

/**
 * The anti-spoofing check: a face whose liveness score is below {@code threshold} counts as live. Turning the check
 * off, or a threshold of 1 (every face live), lets a printed photo of anyone enrolled open the door, so either
 * is refused unless {@code i-understand: true} says it is meant (for a test bench, say).
 */
public record LivenessConfig(boolean enabled, double threshold, boolean iUnderstand) {

    /** Scores lie in [0, 1]: at this threshold every face counts as live. */
    public static final double EVERY_FACE_LIVE = 1.0;

    public LivenessConfig {
        Checks.between("liveness.threshold", threshold, 0, 1);
        if (!enabled && !iUnderstand)
            throw new IllegalArgumentException("liveness.enabled: false turns the spoof check off, so a photo of anyone"
                    + " enrolled opens the door; add 'i-understand: true' under liveness to run like this anyway");
        if (enabled && threshold >= EVERY_FACE_LIVE && !iUnderstand)
            throw new IllegalArgumentException("liveness.threshold " + threshold + " calls every face live, so a photo of"
                    + " anyone enrolled opens the door; add 'i-understand: true' under liveness to run like this anyway");
    }

    public static LivenessConfig defaults() {
        return new LivenessConfig(true, 0.2, false);
    }
}
