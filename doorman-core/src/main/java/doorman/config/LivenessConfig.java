package doorman.config;


/**
 * The anti-spoofing check (MiniFASNet): a face whose live score is at least the threshold counts as live. A null
 * {@code threshold} takes the calibrated one from calibration-liveness.json beside the models. Turning the check off,
 * or a threshold of 0 (every face live), lets a printed photo of anyone enrolled open the door, so either is refused
 * unless {@code i-understand: true} says it is meant (for a test bench, say).
 */
public record LivenessConfig(boolean enabled, Double threshold, boolean iUnderstand) {

    /** Live scores lie in [0, 1]: at this threshold every face counts as live. */
    public static final double EVERY_FACE_LIVE = 0.0;

    public LivenessConfig {
        if (threshold != null) Checks.between("liveness.threshold", threshold, 0, 1);
        if (threshold != null && threshold >= 1)
            throw new IllegalArgumentException("liveness.threshold must be below 1: at 1 no face counts as live and the"
                    + " door never opens for anyone; got " + threshold);
        if (!enabled && !iUnderstand)
            throw new IllegalArgumentException("liveness.enabled: false turns the spoof check off, so a photo of anyone"
                    + " enrolled opens the door; add 'i-understand: true' under liveness to run like this anyway");
        if (enabled && threshold != null && threshold <= EVERY_FACE_LIVE && !iUnderstand)
            throw new IllegalArgumentException("liveness.threshold " + threshold + " calls every face live, so a photo of"
                    + " anyone enrolled opens the door; add 'i-understand: true' under liveness to run like this anyway");
    }

    public static LivenessConfig defaults() {
        return new LivenessConfig(true, null, false);
    }
}
