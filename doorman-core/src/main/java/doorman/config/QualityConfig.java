package doorman.config;

/**
 * What a face must show before it is matched: enough pixels between the eyes, sharpness (variance of the
 * Laplacian of the aligned face), a roughly frontal pose (yaw and pitch estimated from the keypoints, in degrees)
 * and a mean brightness (0..255) that is neither too dark nor washed out.
 */
public record QualityConfig(double minEyeDistance, double minBlur, double maxYaw, double maxPitch,
                            double minBrightness, double maxBrightness) {

    public QualityConfig {
        Checks.between("quality.min-eye-distance", minEyeDistance, 0, 2000);
        Checks.between("quality.min-blur", minBlur, 0, 100_000);
        Checks.between("quality.max-yaw", maxYaw, 0, 90);
        Checks.between("quality.max-pitch", maxPitch, 0, 90);
        Checks.between("quality.min-brightness", minBrightness, 0, 255);
        Checks.between("quality.max-brightness", maxBrightness, 0, 255);
        if (minBrightness >= maxBrightness)
            throw new IllegalArgumentException("quality.min-brightness (" + minBrightness
                    + ") must be below quality.max-brightness (" + maxBrightness + ")");
    }

    public static QualityConfig defaults() {
        return new QualityConfig(24, 25, 30, 25, 45, 220);
    }
}
