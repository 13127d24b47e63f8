package doorman.vision;

import org.opencv.core.Mat;

/**
 * A presentation-attack check on one detected face. Implementations own TFLite interpreters, so they are not
 * thread-safe: one per thread. The daemon uses MiniFASNet ({@code doorman.liveness.MiniFasNetLiveness}); the older
 * {@link LivenessChecker} stays only for side-by-side measurements.
 */
public interface LivenessModel extends AutoCloseable {

    /** Scores the face inside {@code bgr} (8-bit, 3 channels, the image the face was detected in). */
    Liveness check(Mat bgr, Face face);

    /** Frees the model's interpreters; nothing to free for a check that holds none. */
    @Override
    default void close() {
    }
}
