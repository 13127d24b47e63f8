package doorman.vision;

import doorman.camera.OpenCv;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Decides whether a detected face is good enough to encode: big enough, sharp, roughly frontal, and neither too
 * dark nor washed out. Cheap (one crop, one resize, one Laplacian); stateless and thread-safe.
 */
public final class QualityGate {

    /** Side of the square the crop is resampled to before measuring sharpness: the encoder's input size. */
    static final int SHARPNESS_SIZE = 112;

    /**
     * Limits for {@link QualityGate}.
     *
     * @param minEyeDistance pixels between the eyes below which a face is "too small"
     * @param minSharpness Laplacian variance (at 112x112) below which a face is "blurry"
     * @param maxYawRatio largest |yawRatio| still frontal enough
     * @param minPitchRatio smallest pitchRatio still frontal enough (chin raised)
     * @param maxPitchRatio largest pitchRatio still frontal enough (chin lowered)
     * @param maxRollDegrees largest |roll|; alignment undoes roll, so this only rejects faces lying on their side
     * @param minBrightness mean grey level below which a face is "too dark"
     * @param maxBrightness mean grey level above which a face is "too bright"
     */
    public record Thresholds(double minEyeDistance, double minSharpness, double maxYawRatio, double minPitchRatio,
                             double maxPitchRatio, double maxRollDegrees, double minBrightness, double maxBrightness) {
    }

    private final Thresholds thresholds;

    public QualityGate(Thresholds thresholds) {
        this.thresholds = thresholds;
        OpenCv.load();
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /** Measures the face inside {@code bgr} (8-bit, 3 channels, the image the face was detected in). */
    public Quality assess(Mat bgr, Face face) {
        if (bgr.empty() || bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("assess needs a non-empty 8-bit BGR image, got " + bgr);
        }
        Pose pose = Pose.of(face);
        double eyeDistance = face.eyeDistance();
        double sharpness = 0;
        double brightness = 0;
        Rect box = clippedBox(face, bgr.cols(), bgr.rows());
        if (box != null) {
            Mat grey = new Mat();
            Mat crop = bgr.submat(box);
            try {
                Imgproc.cvtColor(crop, grey, Imgproc.COLOR_BGR2GRAY);
                brightness = Core.mean(grey).val[0];
                sharpness = laplacianVariance(grey);
            } finally {
                crop.release();
                grey.release();
            }
        }
        List<String> reasons = new ArrayList<>();
        if (box == null || eyeDistance < thresholds.minEyeDistance()) reasons.add("too small");
        if (sharpness < thresholds.minSharpness()) reasons.add("blurry");
        if (!(Math.abs(pose.yawRatio()) <= thresholds.maxYawRatio())
                || !(pose.pitchRatio() >= thresholds.minPitchRatio() && pose.pitchRatio() <= thresholds.maxPitchRatio())
                || !(Math.abs(pose.rollDegrees()) <= thresholds.maxRollDegrees())) {
            reasons.add("turned away");
        }
        if (brightness < thresholds.minBrightness()) reasons.add("too dark");
        if (brightness > thresholds.maxBrightness()) reasons.add("too bright");
        return new Quality(eyeDistance, sharpness, pose.yawRatio(), pose.pitchRatio(), pose.rollDegrees(), brightness,
                reasons);
    }

    /** Resampled to the encoder's scale first, so the same blur scores the same on a near or a far face. */
    private static double laplacianVariance(Mat grey) {
        Mat resized = new Mat();
        Mat laplacian = new Mat();
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble stddev = new MatOfDouble();
        try {
            boolean shrinking = grey.cols() > SHARPNESS_SIZE || grey.rows() > SHARPNESS_SIZE;
            Imgproc.resize(grey, resized, new Size(SHARPNESS_SIZE, SHARPNESS_SIZE), 0, 0,
                    shrinking ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
            Imgproc.Laplacian(resized, laplacian, CvType.CV_64F);
            Core.meanStdDev(laplacian, mean, stddev);
            double sd = stddev.toArray()[0];
            return sd * sd;
        } finally {
            resized.release();
            laplacian.release();
            mean.release();
            stddev.release();
        }
    }

    private static Rect clippedBox(Face face, int width, int height) {
        int left = (int) Math.max(0, Math.floor(face.x()));
        int top = (int) Math.max(0, Math.floor(face.y()));
        int right = (int) Math.min(width, Math.ceil(face.x() + face.width()));
        int bottom = (int) Math.min(height, Math.ceil(face.y() + face.height()));
        if (right - left < 2 || bottom - top < 2) return null;
        return new Rect(left, top, right - left, bottom - top);
    }

    /** Head pose read off the eyes, nose and mouth keypoints; NaN where the keypoints are degenerate. */
    record Pose(double yawRatio, double pitchRatio, double rollDegrees) {

        static Pose of(Face face) {
            double rx = face.keypointX(Face.RIGHT_EYE), ry = face.keypointY(Face.RIGHT_EYE);
            double lx = face.keypointX(Face.LEFT_EYE), ly = face.keypointY(Face.LEFT_EYE);
            double eyeDx = lx - rx, eyeDy = ly - ry;
            double eyeDistance = Math.hypot(eyeDx, eyeDy);
            double roll = Math.toDegrees(Math.atan2(eyeDy, eyeDx));
            if (eyeDistance < 1e-6) return new Pose(Double.NaN, Double.NaN, roll);
            // unit vector along the eye line (image left to right for an upright face) and its normal pointing down
            double ux = eyeDx / eyeDistance, uy = eyeDy / eyeDistance;
            double nx = -uy, ny = ux;
            double midX = (rx + lx) / 2, midY = (ry + ly) / 2;
            double noseX = face.keypointX(Face.NOSE) - midX, noseY = face.keypointY(Face.NOSE) - midY;
            double mouthX = face.keypointX(Face.MOUTH) - midX, mouthY = face.keypointY(Face.MOUTH) - midY;
            double yaw = (noseX * ux + noseY * uy) / eyeDistance;
            double mouthDepth = mouthX * nx + mouthY * ny;
            double pitch = mouthDepth > 1e-6 ? (noseX * nx + noseY * ny) / mouthDepth : Double.NaN;
            return new Pose(yaw, pitch, roll);
        }
    }
}
