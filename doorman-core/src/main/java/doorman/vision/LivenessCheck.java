package doorman.vision;

import org.opencv.core.Mat;

/** Tells a live face from a presentation attack (a photo or screen held to the camera). */
public interface LivenessCheck {

    Liveness check(Mat bgr, Face face);
}
