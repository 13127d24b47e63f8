package doorman.eval;

import doorman.liveness.SilentFaceCrop;
import doorman.vision.Face;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

/**
 * An extra presentation-attack cue for {@code eval liveness --cue rectangle}, measured and not used by the daemon: a phone or a printed sheet held to the camera
 * often shows its straight border around the face. In the 4x crop around the face, long straight edges (Canny, then
 * the probabilistic Hough transform) that stay clear of the face box and run nearly horizontal or vertical are
 * counted; a horizontal and a vertical one, or two parallel ones on both sides, look like a frame.
 */
public final class RectangleEdgeCue {

    /** A border line must span at least this share of the face box's longer side. */
    static final double MIN_LENGTH = 0.8;
    /** Degrees a border line may lean from horizontal or vertical. */
    static final double MAX_TILT = 12;

    private RectangleEdgeCue() {}

    /** True when the crop around the face shows a frame-like pair of straight edges. */
    public static boolean framed(Mat bgr, Face face) {
        SilentFaceCrop c = SilentFaceCrop.of(bgr.cols(), bgr.rows(), face.x(), face.y(), face.width(), face.height(), 4.0);
        Mat region = bgr.submat(new Rect(c.x(), c.y(), c.width(), c.height()));
        Mat gray = new Mat(), edges = new Mat(), lines = new Mat();
        try {
            Imgproc.cvtColor(region, gray, Imgproc.COLOR_BGR2GRAY);
            Imgproc.GaussianBlur(gray, gray, new org.opencv.core.Size(5, 5), 0);
            Imgproc.Canny(gray, edges, 50, 150);
            double side = Math.max(face.width(), face.height());
            Imgproc.HoughLinesP(edges, lines, 1, Math.PI / 180, 60, MIN_LENGTH * side, 6);
            double fx0 = face.x() - c.x() - 0.1 * face.width(), fx1 = face.x() - c.x() + 1.1 * face.width();
            double fy0 = face.y() - c.y() - 0.1 * face.height(), fy1 = face.y() - c.y() + 1.1 * face.height();
            boolean left = false, right = false, top = false, bottom = false;
            for (int i = 0; i < lines.rows(); i++) {
                double[] l = lines.get(i, 0);
                double angle = Math.toDegrees(Math.atan2(Math.abs(l[3] - l[1]), Math.abs(l[2] - l[0])));
                double mx = (l[0] + l[2]) / 2, my = (l[1] + l[3]) / 2;
                if (angle <= MAX_TILT) { // horizontal: above or below the face
                    if (my < fy0) top = true;
                    else if (my > fy1) bottom = true;
                } else if (angle >= 90 - MAX_TILT) { // vertical: left or right of the face
                    if (mx < fx0) left = true;
                    else if (mx > fx1) right = true;
                }
            }
            boolean horizontal = top || bottom, vertical = left || right;
            return (horizontal && vertical) || (left && right) || (top && bottom);
        } finally {
            region.release();
            gray.release();
            edges.release();
            lines.release();
        }
    }
}
