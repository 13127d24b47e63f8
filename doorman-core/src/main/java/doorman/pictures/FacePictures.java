package doorman.pictures;

import doorman.camera.OpenCv;
import doorman.vision.Face;
import doorman.vision.FaceAligner;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Small JPEGs of a face for the owner's web page: the aligned 112x112 crop the encoder sees (a template's thumbnail)
 * and the face's region of a door frame with some margin, at most {@value #SNAPSHOT_SIDE} pixels a side (a refused
 * visit's snapshot). Both are a few KB. Every Mat made here is released before returning.
 */
public final class FacePictures {

    /** JPEG quality: faces stay recognisable to a person at a few KB. */
    static final int JPEG_QUALITY = 80;
    /** The longest side of a snapshot, in pixels. */
    public static final int SNAPSHOT_SIDE = 160;
    /** The margin around the face box on each side, as a share of the box: shows hair and chin. */
    static final double MARGIN = 0.35;

    private FacePictures() {
    }

    /** The aligned 112x112 face as a JPEG. */
    public static byte[] thumbnail(Mat bgr, Face face) {
        Mat aligned = new FaceAligner().align(bgr, face);
        try {
            return jpeg(aligned);
        } finally {
            aligned.release();
        }
    }

    /** {@link #snapshotImage} as a JPEG. */
    public static byte[] snapshot(Mat bgr, Face face) {
        Mat small = snapshotImage(bgr, face);
        try {
            return jpeg(small);
        } finally {
            small.release();
        }
    }

    /**
     * The face's box widened by the margin, clipped to the frame and shrunk to fit {@value #SNAPSHOT_SIDE} pixels: a
     * new Mat the caller owns, independent of {@code bgr} (quick: the door loop takes it before reusing the frame).
     */
    public static Mat snapshotImage(Mat bgr, Face face) {
        OpenCv.load();
        Rect box = region(bgr.cols(), bgr.rows(), face);
        Mat view = bgr.submat(box);
        Mat small = new Mat();
        try {
            double scale = Math.min(1.0, (double) SNAPSHOT_SIDE / Math.max(box.width, box.height));
            Size size = new Size(Math.max(1, Math.round(box.width * scale)), Math.max(1, Math.round(box.height * scale)));
            Imgproc.resize(view, small, size, 0, 0, Imgproc.INTER_AREA);
            return small;
        } catch (RuntimeException e) {
            small.release();
            throw e;
        } finally {
            view.release();
        }
    }

    /** A frame shrunk to at most {@code maxWidth} pixels wide, as a JPEG (the door camera's live preview). */
    public static byte[] preview(Mat bgr, int maxWidth) {
        OpenCv.load();
        if (bgr.cols() <= maxWidth) return jpeg(bgr);
        Mat small = new Mat();
        try {
            double scale = (double) maxWidth / bgr.cols();
            Imgproc.resize(bgr, small, new Size(maxWidth, Math.max(1, Math.round(bgr.rows() * scale))), 0, 0, Imgproc.INTER_AREA);
            return jpeg(small);
        } finally {
            small.release();
        }
    }

    /** The face box with the margin, inside a {@code width} x {@code height} frame, at least one pixel. */
    static Rect region(int width, int height, Face face) {
        double mx = face.width() * MARGIN, my = face.height() * MARGIN;
        int x0 = clamp((int) Math.floor(face.x() - mx), 0, width - 1);
        int y0 = clamp((int) Math.floor(face.y() - my), 0, height - 1);
        int x1 = clamp((int) Math.ceil(face.x() + face.width() + mx), x0 + 1, width);
        int y1 = clamp((int) Math.ceil(face.y() + face.height() + my), y0 + 1, height);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /** An 8-bit BGR image as a JPEG. */
    public static byte[] jpeg(Mat bgr) {
        return jpeg(bgr, JPEG_QUALITY);
    }

    /** {@code bgr} as a JPEG of the given quality (1-100). */
    public static byte[] jpeg(Mat bgr, int quality) {
        OpenCv.load();
        MatOfByte out = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        try {
            if (!Imgcodecs.imencode(".jpg", bgr, out, params)) throw new IllegalStateException("JPEG encoding failed");
            return out.toArray();
        } finally {
            out.release();
            params.release();
        }
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
