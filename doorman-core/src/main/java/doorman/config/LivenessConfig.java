package doorman.config;

/** The anti-spoofing check: a face whose liveness score is at least {@code threshold} counts as live. */
public record LivenessConfig(boolean enabled, double threshold) {

    public LivenessConfig {
        Checks.between("liveness.threshold", threshold, 0, 1);
    }

    public static LivenessConfig defaults() {
        return new LivenessConfig(true, 0.2);
    }
}
