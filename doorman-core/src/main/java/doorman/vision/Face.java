package doorman.vision;

/**
 * A detected face in image pixel coordinates: its box, the detector's score and BlazeFace's six keypoints
 * as (x, y) pairs in this order: right eye, left eye, nose tip, mouth centre, right ear, left ear
 * ("right" is the person's right, which lies on the image's left).
 */
public record Face(float x, float y, float width, float height, float score, float[] keypoints) {

    public static final int RIGHT_EYE = 0, LEFT_EYE = 1, NOSE = 2, MOUTH = 3, RIGHT_EAR = 4, LEFT_EAR = 5;
    public static final int KEYPOINTS = 6;

    public Face {
        if (keypoints.length != 2 * KEYPOINTS) throw new IllegalArgumentException("need 6 keypoints");
        keypoints = keypoints.clone();
    }

    public float keypointX(int k) {
        return keypoints[2 * k];
    }

    public float keypointY(int k) {
        return keypoints[2 * k + 1];
    }

    public float area() {
        return width * height;
    }

    /** Distance between the eyes in pixels: the face's scale for quality checks. */
    public double eyeDistance() {
        return Math.hypot(keypointX(LEFT_EYE) - keypointX(RIGHT_EYE), keypointY(LEFT_EYE) - keypointY(RIGHT_EYE));
    }

    @Override
    public float[] keypoints() {
        return keypoints.clone();
    }
}
