package doorman.vision;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * A stand-in for a photo shown on a screen and filmed again, which is the cheapest attack on a face lock:
 * half the resolution, a moire beat between the screen's pixel grid and the camera's (two gratings of 3.3 and
 * 7.1 px), the screen's red/green/blue column stripes, a blue cast, and a second JPEG compression. It is a
 * simulation, not a recording of a real attack.
 */
public final class ScreenReplay {

    private ScreenReplay() {
    }

    /** A new image; the caller releases it. */
    public static Mat of(Mat bgr) {
        Mat small = new Mat();
        Mat blurred = new Mat();
        Mat floats = new Mat();
        Mat result = new Mat();
        MatOfByte jpeg = new MatOfByte();
        try {
            Imgproc.resize(bgr, small, new Size(), 0.5, 0.5, Imgproc.INTER_AREA);
            Imgproc.resize(small, blurred, bgr.size(), 0, 0, Imgproc.INTER_LINEAR);
            blurred.convertTo(floats, CvType.CV_32FC3);
            int width = floats.cols(), height = floats.rows();
            float[] pixels = new float[width * height * 3];
            floats.get(0, 0, pixels);
            double a = Math.toRadians(10), b = Math.toRadians(-20);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double moire = 1 + 0.12 * Math.sin(2 * Math.PI * (x * Math.cos(a) + y * Math.sin(a)) / 3.3)
                            + 0.06 * Math.sin(2 * Math.PI * (x * Math.cos(b) + y * Math.sin(b)) / 7.1);
                    for (int c = 0; c < 3; c++) {
                        double stripe = x % 3 == 2 - c ? 1.0 : 0.88; // BGR order: red lit on column 0, green 1, blue 2
                        double cast = c == 0 ? 1.08 : 1.0;
                        int i = (y * width + x) * 3 + c;
                        pixels[i] = (float) Math.min(255, Math.max(0, pixels[i] * moire * stripe * cast + 6));
                    }
                }
            }
            floats.put(0, 0, pixels);
            floats.convertTo(result, CvType.CV_8UC3);
            Imgcodecs.imencode(".jpg", result, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 85));
            return Imgcodecs.imdecode(jpeg, Imgcodecs.IMREAD_COLOR);
        } finally {
            small.release();
            blurred.release();
            floats.release();
            result.release();
            jpeg.release();
        }
    }
}
