package doorman.eval;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.util.Random;

/**
 * A near-duplicate of a photo, as a camera gives of someone standing still: shifted by up to {@code shiftPx}
 * pixels, scaled by up to {@code scale} (a fraction), brightness times 1 +- {@code brightness}, Gaussian sensor
 * noise of {@code noiseSigma} grey levels, then re-encoded as JPEG with a quality in [{@code jpegLow}, 95].
 */
public record CameraJitter(double shiftPx, double scale, double brightness, double noiseSigma, int jpegLow) {

    public static final CameraJitter DEFAULT = new CameraJitter(3, 0.03, 0.10, 3, 80);

    /** A new image (the caller releases it); {@code bgr} is left as it was. */
    public Mat apply(Mat bgr, Random random) {
        double s = 1 + uniform(random, scale);
        Mat m = Imgproc.getRotationMatrix2D(new Point(bgr.cols() / 2.0, bgr.rows() / 2.0), 0, s);
        m.put(0, 2, m.get(0, 2)[0] + uniform(random, shiftPx));
        m.put(1, 2, m.get(1, 2)[0] + uniform(random, shiftPx));
        Mat moved = new Mat(), noisy = new Mat(), noise = new Mat(bgr.size(), CvType.CV_32FC3);
        MatOfByte jpeg = new MatOfByte();
        try {
            Imgproc.warpAffine(bgr, moved, m, bgr.size(), Imgproc.INTER_LINEAR, Core.BORDER_REFLECT);
            moved.convertTo(noisy, CvType.CV_32FC3, 1 + uniform(random, brightness));
            Core.setRNGSeed(random.nextInt());
            Core.randn(noise, 0, noiseSigma);
            Core.add(noisy, noise, noisy);
            noisy.convertTo(moved, CvType.CV_8UC3);
            int quality = jpegLow + random.nextInt(96 - jpegLow);
            if (!Imgcodecs.imencode(".jpg", moved, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality)))
                throw new IllegalStateException("JPEG encoding failed");
            return Imgcodecs.imdecode(jpeg, Imgcodecs.IMREAD_COLOR);
        } finally {
            m.release();
            moved.release();
            noisy.release();
            noise.release();
            jpeg.release();
        }
    }

    private static double uniform(Random random, double amplitude) {
        return (2 * random.nextDouble() - 1) * amplitude;
    }

    /** For the report. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "shift +-%.0f px, scale +-%.0f %%, brightness +-%.0f %%, noise sigma %.0f, JPEG q %d-95",
                shiftPx, 100 * scale, 100 * brightness, noiseSigma, jpegLow);
    }
}
