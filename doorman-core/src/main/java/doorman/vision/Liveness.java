package doorman.vision;

/**
 * The anti-spoofing model's verdict on one face.
 *
 * @param score the model's leaf score: lower looks more like a live face
 * @param live whether the score is below the threshold
 * @param threshold the threshold the verdict used
 */
public record Liveness(double score, boolean live, double threshold) {
}
