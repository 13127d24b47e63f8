package doorman.vision;

import doorman.camera.OpenCv;
import doorman.tflite.TfliteModel;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.Arrays;
import java.util.List;

/**
 * Finds faces with MediaPipe's BlazeFace: letterbox the image into the model's square input (OpenCV) and run it;
 * {@link BlazeFaceDecoder} turns the outputs into faces (pure Java, tested without natives). Not thread-safe (it
 * reuses one input buffer); one per thread.
 */
public final class BlazeFaceDetector implements AutoCloseable {

    /**
     * The two published BlazeFace models and the anchor layout each was trained with. Neither covers every
     * scale: on 150x150 crops filled by the face, FULL found 9 of 37 faces (37 of 37 once a 15% border was
     * added) while SHORT found them all; on group photos SHORT missed most faces narrower than about a tenth of
     * the image's longer side, which FULL found.
     */
    public enum Range {
        /** Faces within about 2 m: 128x128 input, 896 anchors. */
        SHORT("face_detection_short_range.tflite", 128, new int[] {8, 16, 16, 16}, true),
        /** Faces within about 5 m: 192x192 input, 2304 anchors. */
        FULL("face_detection_full_range.tflite", 192, new int[] {4}, false, 0, 0.15, 0.25);

        private final String modelFile;
        private final int inputSize;
        private final int[] strides;
        private final boolean extraAnchorPerLayer;
        // Full range misses faces that fill the frame (9 of 37 close-up portraits found), and a door camera sees
        // exactly those. When a pass finds nothing, a second pass with a black margin on every side shrinks a
        // close face into the model's scale range; the first pass keeps full resolution for small, far faces.
        private final double[] margins;

        Range(String modelFile, int inputSize, int[] strides, boolean extraAnchorPerLayer, double... margins) {
            this.margins = margins.length == 0 ? new double[] {0} : margins;
            this.modelFile = modelFile;
            this.inputSize = inputSize;
            this.strides = strides;
            this.extraAnchorPerLayer = extraAnchorPerLayer;
        }

        /** The model's file name as models/fetch saves it. */
        public String modelFile() {
            return modelFile;
        }

        public int inputSize() {
            return inputSize;
        }

        float[] anchors() {
            return SsdAnchors.centres(inputSize, strides, extraAnchorPerLayer);
        }
    }

    public static final float DEFAULT_MIN_SCORE = 0.5f;

    private final TfliteModel model;
    private final Range range;
    private final BlazeFaceDecoder decoder;
    private final int boxesOutput;
    private final int scoresOutput;
    private final float[] input;

    /**
     * Takes ownership of the model: {@link #close()} closes it, and so does this constructor when it
     * rejects the model because its shapes do not fit the range.
     */
    public BlazeFaceDetector(TfliteModel model, Range range, float minScore) {
        if (!(minScore > 0 && minScore < 1)) {
            model.close();
            throw new IllegalArgumentException("minScore must be between 0 and 1, got " + minScore);
        }
        OpenCv.load();
        this.model = model;
        this.range = range;
        this.decoder = new BlazeFaceDecoder(range.anchors(), range.inputSize, minScore);
        try {
            int s = range.inputSize;
            requireShape("input", model.inputShape(), 1, s, s, 3);
            int anchorCount = decoder.anchorCount();
            this.boxesOutput = findOutput(anchorCount, BlazeFaceDecoder.VALUES_PER_ANCHOR);
            this.scoresOutput = findOutput(anchorCount, 1);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        this.input = new float[range.inputSize * range.inputSize * 3];
    }

    public BlazeFaceDetector(TfliteModel model, Range range) {
        this(model, range, DEFAULT_MIN_SCORE);
    }

    public Range range() {
        return range;
    }

    /** Faces in the image's pixel coordinates, boxes clipped to the image, largest first. */
    public List<Face> detect(Mat bgr) {
        if (bgr.empty() || bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("detect needs a non-empty 8-bit BGR image, got " + bgr);
        }
        List<Face> candidates = List.of();
        for (int pass = 0; pass < range.margins.length && candidates.isEmpty(); pass++) {
            BlazeFaceDecoder.Letterbox letterbox = fillInput(bgr, range.margins[pass]);
            float[][] outputs = model.run(input);
            candidates = decoder.decode(outputs[boxesOutput], outputs[scoresOutput], letterbox);
        }
        return decoder.finish(candidates, bgr.cols(), bgr.rows());
    }

    /** Keeps the aspect ratio (a squashed face scores worse), centring the image on black bars. */
    private BlazeFaceDecoder.Letterbox fillInput(Mat bgr, double margin) {
        int size = range.inputSize;
        BlazeFaceDecoder.Letterbox box = BlazeFaceDecoder.Letterbox.of(bgr.cols(), bgr.rows(), size, margin);
        int width = box.width(), height = box.height(), padX = box.padX(), padY = box.padY();
        double scale = box.scaleX();
        Mat resized = new Mat();
        Mat square = new Mat();
        Mat floats = new Mat();
        try {
            Imgproc.resize(bgr, resized, new Size(width, height), 0, 0,
                    scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
            Core.copyMakeBorder(resized, square, padY, size - height - padY, padX, size - width - padX,
                    Core.BORDER_CONSTANT, Scalar.all(0));
            Imgproc.cvtColor(square, square, Imgproc.COLOR_BGR2RGB);
            square.convertTo(floats, CvType.CV_32FC3, 1 / 127.5, -1); // [0, 255] -> [-1, 1]
            floats.get(0, 0, input);
        } finally {
            resized.release();
            square.release();
            floats.release();
        }
        return box;
    }

    private int findOutput(int anchorCount, int valuesPerAnchor) {
        int[][] shapes = model.outputShapes();
        for (int i = 0; i < shapes.length; i++) {
            if (Arrays.equals(shapes[i], new int[] {1, anchorCount, valuesPerAnchor})) return i;
        }
        throw new IllegalArgumentException("not a BlazeFace " + range + "-range model: no output of shape [1, "
                + anchorCount + ", " + valuesPerAnchor + "] among " + Arrays.deepToString(shapes));
    }

    private void requireShape(String what, int[] actual, int... expected) {
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalArgumentException("not a BlazeFace " + range + "-range model: " + what + " shape "
                    + Arrays.toString(actual) + ", expected " + Arrays.toString(expected));
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
