package doorman.embedding;

import doorman.tflite.TfliteModel;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Maps an aligned 112x112 BGR face to an L2-normalised embedding. MobileFaceNet wants RGB scaled as
 * (p - 127.5) / 128: on LFW that beat BGR by 0.25 points and [0,1] scaling by about one point.
 * With {@code flip}, the mirrored face's embedding is added before normalising (about +0.2 points on LFW
 * for twice the cost).
 */
public final class FaceEncoder implements AutoCloseable {

    public static final int SIZE = 112;

    /** How pixels become the network's input; the first is what MobileFaceNet was trained with. */
    public enum Input {
        /** RGB, (p - 127.5) / 128. */
        RGB_CENTRED,
        /** BGR, (p - 127.5) / 128: OpenCV's channel order, kept to show what the wrong order costs. */
        BGR_CENTRED,
        /** RGB, p / 255. */
        RGB_UNIT
    }

    private final TfliteModel model;
    private final String name;
    private final boolean flip;
    private final Input inputFormat;
    private final int dimension;
    private final float[] input = new float[SIZE * SIZE * 3];
    private final byte[] pixels = new byte[SIZE * SIZE * 3];

    /** {@code name} identifies the embedding space (templates from different spaces never mix). */
    public FaceEncoder(TfliteModel model, String name, boolean flip) {
        this(model, name, flip, Input.RGB_CENTRED);
    }

    public FaceEncoder(TfliteModel model, String name, boolean flip, Input inputFormat) {
        int[] shape = model.inputShape();
        if (shape.length != 4 || shape[0] != 1 || shape[1] != SIZE || shape[2] != SIZE || shape[3] != 3)
            throw new IllegalArgumentException("encoder input must be [1,112,112,3], got " + java.util.Arrays.toString(shape));
        this.model = model;
        this.flip = flip;
        this.inputFormat = inputFormat;
        String space = inputFormat == Input.RGB_CENTRED ? name : name + "+" + inputFormat.name().toLowerCase();
        this.name = flip ? space + "+flip" : space;
        this.dimension = model.outputShapes()[0][1];
    }

    /** The embedding space's id, e.g. {@code mobilefacenet-192+flip}; stored with every template. */
    public String name() {
        return name;
    }

    public int dimension() {
        return dimension;
    }

    public Embedding encode(Mat alignedBgr) {
        if (alignedBgr.rows() != SIZE || alignedBgr.cols() != SIZE || alignedBgr.type() != CvType.CV_8UC3)
            throw new IllegalArgumentException("need a 112x112 BGR face, got " + alignedBgr);
        float[] sum = raw(alignedBgr);
        if (flip) {
            Mat mirrored = new Mat();
            try {
                Core.flip(alignedBgr, mirrored, 1);
                float[] second = raw(mirrored);
                for (int i = 0; i < sum.length; i++) sum[i] += second[i];
            } finally {
                mirrored.release();
            }
        }
        return Embedding.normalised(sum);
    }

    private float[] raw(Mat bgr) {
        Mat continuous = bgr.isContinuous() ? bgr : bgr.clone();
        try {
            continuous.get(0, 0, pixels);
        } finally {
            if (continuous != bgr) continuous.release();
        }
        boolean swap = inputFormat != Input.BGR_CENTRED;
        float offset = inputFormat == Input.RGB_UNIT ? 0f : 127.5f;
        float scale = inputFormat == Input.RGB_UNIT ? 1 / 255f : 1 / 128f;
        for (int i = 0; i < pixels.length; i += 3) {
            int first = swap ? i + 2 : i, last = swap ? i : i + 2;
            input[i] = ((pixels[first] & 0xff) - offset) * scale;
            input[i + 1] = ((pixels[i + 1] & 0xff) - offset) * scale;
            input[i + 2] = ((pixels[last] & 0xff) - offset) * scale;
        }
        return model.run(input)[0];
    }

    @Override
    public void close() {
        model.close();
    }
}
