package doorman.vision;

import java.util.List;

/**
 * How usable one detected face is for recognition, as measured by {@link QualityGate}.
 *
 * @param eyeDistance distance between the eye keypoints in image pixels: the face's scale
 * @param sharpness variance of the Laplacian of the grey face crop resampled to 112x112 (the encoder's scale)
 * @param yawRatio the nose's offset from the eyes' midpoint along the eye line, over the eye distance: 0 when
 *     facing the camera, growing in magnitude as the head turns (sign: positive when the nose lies toward the
 *     image's right)
 * @param pitchRatio where the nose sits between the eye line (0) and the mouth (1), measured across the eye
 *     line; frontal faces sit near the middle, a raised chin moves it toward 0, a lowered one toward 1
 * @param rollDegrees angle of the eye line against the horizontal
 * @param brightness mean grey level (0..255) of the face crop
 * @param reasons why the face was rejected, empty when it passed: "too small", "blurry", "turned away",
 *     "too dark", "too bright"
 */
public record Quality(double eyeDistance, double sharpness, double yawRatio, double pitchRatio, double rollDegrees,
                      double brightness, List<String> reasons) {

    public Quality {
        reasons = List.copyOf(reasons);
    }

    public boolean ok() {
        return reasons.isEmpty();
    }

    /** One short line for the audit log, e.g. {@code eyes 42px sharp 88 yaw 0.05 pitch 0.49 light 120 ok}. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "eyes %.0fpx sharp %.0f yaw %.2f pitch %.2f light %.0f %s", eyeDistance,
                sharpness, yawRatio, pitchRatio, brightness, ok() ? "ok" : String.join(",", reasons));
    }
}
