package doorman.config;

/**
 * The anti-spoofing check (MiniFASNet): a face whose live score is at least the threshold counts as live. A null
 * {@code threshold} takes the calibrated one from calibration-liveness.json beside the models.
 */
public record LivenessConfig(boolean enabled, Double threshold) {

    public LivenessConfig {
        if (threshold != null) Checks.between("liveness.threshold", threshold, 0, 1);
    }

    public static LivenessConfig defaults() {
        return new LivenessConfig(true, null);
    }
}
