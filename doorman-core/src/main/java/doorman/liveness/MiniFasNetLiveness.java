package doorman.liveness;

import doorman.models.ModelFiles;
import doorman.tflite.Backend;
import doorman.tflite.SharedTfliteModel;
import doorman.tflite.TfliteModel;
import doorman.tflite.TfliteOptions;
import doorman.vision.Face;
import doorman.vision.Liveness;
import doorman.vision.LivenessModel;
import doorman.camera.OpenCv;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.Arrays;

/**
 * Passive anti-spoofing with Silent-Face's MiniFASNet V2 (crop 2.7x the face box) and V1SE (4.0x), converted from
 * ONNX at build time. Each sees its crop resized to 80x80, BGR, 0-255; the score is the mean of their live-class
 * softmax. Owns two interpreters: one instance per thread.
 */
public final class MiniFasNetLiveness implements LivenessModel {

    public static final double V2_SCALE = 2.7, V1SE_SCALE = 4.0;
    public static final int INPUT_SIZE = 80;
    private static final int[] INPUT_SHAPE = {1, INPUT_SIZE, INPUT_SIZE, 3};

    private final TfliteModel v2;
    private final TfliteModel v1se;
    private final double threshold;

    /** Takes ownership of both models (closes them if it rejects them). */
    public MiniFasNetLiveness(TfliteModel v2, TfliteModel v1se, double threshold) {
        try {
            if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("threshold must lie in (0, 1), got " + threshold);
            for (TfliteModel m : new TfliteModel[] {v2, v1se}) {
                if (!Arrays.equals(m.inputShape(), INPUT_SHAPE) || m.outputShapes().length != 1
                        || !Arrays.equals(m.outputShapes()[0], new int[] {1, MiniFasNetScores.CLASSES}))
                    throw new IllegalArgumentException("not a MiniFASNet model: input " + Arrays.toString(m.inputShape())
                            + ", outputs " + Arrays.deepToString(m.outputShapes()));
            }
        } catch (RuntimeException e) {
            v2.close();
            v1se.close();
            throw e;
        }
        OpenCv.load();
        this.v2 = v2;
        this.v1se = v1se;
        this.threshold = threshold;
    }

    /** Loads both converted models from the models folder, one interpreter thread each. */
    public static MiniFasNetLiveness load(ModelFiles models, double threshold) {
        TfliteModel v2 = Backend.JAVACPP.load(models.require(ModelFiles.MINIFASNET_V2), TfliteOptions.defaults());
        TfliteModel v1se;
        try {
            v1se = Backend.JAVACPP.load(models.require(ModelFiles.MINIFASNET_V1SE), TfliteOptions.defaults());
        } catch (RuntimeException e) {
            v2.close();
            throw e;
        }
        return new MiniFasNetLiveness(v2, v1se, threshold);
    }

    /**
     * Both model files loaded once, for several threads: each calls {@link #newChecker} for its own interpreters.
     * Close the checkers first.
     */
    public static final class Models implements AutoCloseable {
        private final SharedTfliteModel v2;
        private final SharedTfliteModel v1se;

        private Models(SharedTfliteModel v2, SharedTfliteModel v1se) {
            this.v2 = v2;
            this.v1se = v1se;
        }

        public static Models load(ModelFiles models) {
            SharedTfliteModel v2 = SharedTfliteModel.load(models.require(ModelFiles.MINIFASNET_V2));
            try {
                return new Models(v2, SharedTfliteModel.load(models.require(ModelFiles.MINIFASNET_V1SE)));
            } catch (RuntimeException e) {
                v2.close();
                throw e;
            }
        }

        /** A checker with its own two interpreters (one thread each), over the shared models. */
        public MiniFasNetLiveness newChecker(double threshold) {
            TfliteModel a = v2.newInterpreter(TfliteOptions.defaults());
            TfliteModel b;
            try {
                b = v1se.newInterpreter(TfliteOptions.defaults());
            } catch (RuntimeException e) {
                a.close();
                throw e;
            }
            return new MiniFasNetLiveness(a, b, threshold);
        }

        @Override
        public void close() {
            v2.close();
            v1se.close();
        }
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public Liveness check(Mat bgr, Face face) {
        if (bgr.empty() || bgr.type() != CvType.CV_8UC3)
            throw new IllegalArgumentException("check needs a non-empty 8-bit BGR image, got " + bgr);
        float[] a = v2.run(input(bgr, face, V2_SCALE))[0];
        float[] b = v1se.run(input(bgr, face, V1SE_SCALE))[0];
        double score = MiniFasNetScores.liveScore(a, b);
        return new Liveness(score, score >= threshold, threshold);
    }

    /** The model input for one crop scale: NHWC BGR floats 0-255. */
    public static float[] input(Mat bgr, Face face, double scale) {
        SilentFaceCrop c = SilentFaceCrop.of(bgr.cols(), bgr.rows(), face.x(), face.y(), face.width(), face.height(), scale);
        Mat region = bgr.submat(new Rect(c.x(), c.y(), c.width(), c.height()));
        Mat resized = new Mat();
        try {
            Imgproc.resize(region, resized, new Size(INPUT_SIZE, INPUT_SIZE), 0, 0, Imgproc.INTER_LINEAR);
            byte[] pixels = new byte[INPUT_SIZE * INPUT_SIZE * 3];
            resized.get(0, 0, pixels);
            return MiniFasNetScores.input(pixels);
        } finally {
            region.release();
            resized.release();
        }
    }

    @Override
    public void close() {
        v2.close();
        v1se.close();
    }
}
