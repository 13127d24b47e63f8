package doorman.eval;

import doorman.embedding.Embedding;
import doorman.vision.ImageDecoder;
import doorman.vision.ImageException;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The answer to "why not compare pixels?" in numbers: an image as its grey levels, shrunk to a small square,
 * centred on its mean and scaled to unit length, compared by the same distance as the embeddings. It sees
 * lighting, pose and background as much as the face, which is why it loses.
 */
public final class PixelBaseline {

    public static final String NAME = "raw pixels (grey, 64x64)";
    static final int SIDE = 64;

    private PixelBaseline() {
    }

    /** The image's pixel vector, or empty when it cannot be read. */
    public static Optional<Embedding> embed(Path image) {
        Mat bgr;
        try {
            bgr = ImageDecoder.read(image);
        } catch (ImageException e) {
            return Optional.empty();
        }
        Mat grey = new Mat();
        Mat small = new Mat();
        try {
            Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY); // the decoder always yields 8-bit BGR
            Imgproc.resize(grey, small, new Size(SIDE, SIDE), 0, 0, Imgproc.INTER_AREA);
            byte[] pixels = new byte[SIDE * SIDE];
            small.get(0, 0, pixels);
            return Optional.of(vector(pixels));
        } finally {
            bgr.release();
            grey.release();
            small.release();
        }
    }

    /** Grey levels (unsigned bytes) centred on their mean and normalised; a flat image becomes a zero-free unit vector. */
    static Embedding vector(byte[] pixels) {
        double mean = 0;
        for (byte p : pixels) mean += p & 0xff;
        mean /= pixels.length;
        float[] v = new float[pixels.length];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((pixels[i] & 0xff) - mean);
        v[0] += 1e-6f; // a perfectly flat image would have no direction
        return Embedding.normalised(v);
    }
}
