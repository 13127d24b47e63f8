package doorman.config;

/**
 * What a face must show before it is matched: enough pixels between the eyes, sharpness (variance of the
 * Laplacian of the aligned face), a roughly frontal pose (yaw and pitch estimated from the keypoints, in degrees)
 * and a mean brightness (0..255) that is neither too dark nor washed out. {@code doorman.app.Assembly} turns
 * these into the gate's own thresholds.
 *
 * <p>How the defaults were measured (BlazeFace on 400 random LFW photos, all of ORL, the bbt/johns samples):
 * <ul>
 * <li>eye distance: LFW faces shrunk until the eyes were d px apart and re-encoded with MobileFaceNet moved away
 * from another photo of the same person by +0.005 (d=32), +0.013 (24), +0.024 (20), +0.054 (16), +0.130 (12) in
 * squared distance, against a median same-person distance of 0.52; the door asks for 24.</li>
 * <li>sharpness 25: LFW 1st/5th percentiles 24/36 (median 90); the same photos blurred with a Gaussian of sigma
 * 2 px have 95th percentile 22, sigma 3 at most 19.</li>
 * <li>yaw: LFW 1st/99th percentiles of the nose offset -0.48/0.39, ORL within +-0.28; 30 degrees maps to 0.35,
 * a frontal-enough face for a door.</li>
 * <li>pitch 25 degrees maps to 0.2..0.8 around the median 0.51 (LFW 1st/99th percentiles 0.26/0.68).</li>
 * <li>brightness 45..220: LFW 1st/99th percentiles 72/172; photos darkened to a quarter sit at 18..43,
 * brightened ones (x2.5 + 40) mostly above 220.</li>
 * </ul>
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
