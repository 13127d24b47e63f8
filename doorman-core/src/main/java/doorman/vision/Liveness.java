package doorman.vision;

/**
 * The anti-spoofing model's verdict on one face.
 *
 * @param score the model's score: MiniFASNet's live probability (higher looks live); the old FaceAntiSpoofing leaf
 *              score (lower looks live)
 * @param live whether the model calls the face live at its threshold
 * @param threshold the threshold the verdict used
 */
public record Liveness(double score, boolean live, double threshold) {
}
