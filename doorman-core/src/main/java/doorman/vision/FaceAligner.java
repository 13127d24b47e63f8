package doorman.vision;

import doorman.camera.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Cuts a face out as the 112x112 crop face encoders expect: the similarity transform (rotation, uniform
 * scale, translation) that best fits the eyes, nose tip and mouth centre onto the ArcFace template, so every
 * crop has level eyes at the same place whatever the face's tilt and size in the photo.
 */
public final class FaceAligner {

    public static final int SIZE = 112;

    /**
     * ArcFace template points (x, y) in a 112x112 crop: image-left eye (the person's right), image-right eye,
     * nose tip, and the mouth centre as the mean of the template's two mouth corners.
     */
    private static final double[] TEMPLATE = {
            38.2946, 51.6963,
            73.5318, 51.5014,
            56.0252, 71.7366,
            (41.5493 + 70.7299) / 2, (92.3655 + 92.2041) / 2};

    private static final int[] KEYPOINTS_USED = {Face.RIGHT_EYE, Face.LEFT_EYE, Face.NOSE, Face.MOUTH};

    public FaceAligner() {
        OpenCv.load();
    }

    /** A new 112x112 BGR Mat, owned by the caller. */
    public Mat align(Mat bgr, Face face) {
        if (bgr.empty()) throw new IllegalArgumentException("cannot align a face in an empty image");
        double[] m = transform(face);
        Mat matrix = new Mat(2, 3, CvType.CV_64F);
        Mat aligned = new Mat();
        try {
            matrix.put(0, 0, m);
            Imgproc.warpAffine(bgr, aligned, matrix, new Size(SIZE, SIZE), Imgproc.INTER_LINEAR,
                    Core.BORDER_REPLICATE);
        } finally {
            matrix.release();
        }
        return aligned;
    }

    /** The template points as (x, y) pairs, in the order {@link #transform} matches them. */
    public static double[] template() {
        return TEMPLATE.clone();
    }

    /** The 2x3 row-major matrix that maps the face's image coordinates onto the template. */
    public static double[] transform(Face face) {
        double[] from = new double[2 * KEYPOINTS_USED.length];
        for (int i = 0; i < KEYPOINTS_USED.length; i++) {
            from[2 * i] = face.keypointX(KEYPOINTS_USED[i]);
            from[2 * i + 1] = face.keypointY(KEYPOINTS_USED[i]);
        }
        return similarity(from, TEMPLATE);
    }

    /**
     * Least-squares similarity from points {@code from} to points {@code to} (both (x, y) pairs), as a 2x3
     * row-major matrix [a, -b, tx, b, a, ty]. With both point sets centred, the best a and b are closed-form
     * projections, and the translation then carries one centroid onto the other.
     */
    public static double[] similarity(double[] from, double[] to) {
        if (from.length != to.length || from.length < 4 || from.length % 2 != 0) {
            throw new IllegalArgumentException("need two equally long lists of at least two (x, y) points");
        }
        int n = from.length / 2;
        double fromX = 0, fromY = 0, toX = 0, toY = 0;
        for (int i = 0; i < n; i++) {
            fromX += from[2 * i] / n;
            fromY += from[2 * i + 1] / n;
            toX += to[2 * i] / n;
            toY += to[2 * i + 1] / n;
        }
        double dot = 0, cross = 0, spread = 0;
        for (int i = 0; i < n; i++) {
            double px = from[2 * i] - fromX, py = from[2 * i + 1] - fromY;
            double qx = to[2 * i] - toX, qy = to[2 * i + 1] - toY;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            spread += px * px + py * py;
        }
        if (!(spread > 1e-9)) throw new IllegalArgumentException("points coincide: no transform fits them");
        double a = dot / spread;
        double b = cross / spread;
        return new double[] {
                a, -b, toX - (a * fromX - b * fromY),
                b, a, toY - (b * fromX + a * fromY)};
    }
}
