package doorman.vision;

import doorman.camera.OpenCv;
import doorman.tflite.TfliteModel;
import java.util.Arrays;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Passive anti-spoofing with the public FaceAntiSpoofing.tflite model (a deep tree network from an Android
 * MobileFaceNet/MTCNN demo). The model takes a 256x256 RGB face scaled to [0, 1] and returns two vectors of 8:
 * a per-leaf classification and a mask of the leaf the input was routed to. The score is
 * sum(|class_i| * mask_i); lower looks live, and the original project calls anything at or above 0.2 an attack.
 *
 * <p>The crop follows the original project: the face box made square around its centre (the long side wins),
 * moved to lie inside the image, upright (the original aligns the face by its landmarks first; here the eye
 * line is levelled), resized bilinearly. Not thread-safe (one input buffer); one per thread.
 *
 * <p>How far to trust it, measured on real photos with BlazeFace boxes: the score is nearly binary (about 0 or
 * about 0.99, decided by which leaf the face is routed to). Only 15-21% of LFW photos (small, soft web photos)
 * and 39% of the faces in the sample group photos score as live; 55% of the faces with at least 40 px between
 * the eyes do. The same photos put through a simulated screen replay (half resolution, moire, pixel stripes,
 * recompression) score live 5-11%, and 2 of 32 such large faces. RGB beats BGR (0% live) and the unscaled box
 * separates real from replay best (AUC 0.80 against 0.65-0.77 for boxes enlarged 1.3-2x), which supports this
 * preprocessing. So it rejects many genuine faces frame by frame: use it as one vote over several frames, not
 * as a gate on a single frame, and check it again on the real camera.
 */
public final class LivenessChecker implements LivenessModel {

    public static final double DEFAULT_THRESHOLD = 0.2;
    /** The original project squares the detector's box without extra margin. */
    public static final double DEFAULT_CROP_SCALE = 1.0;
    static final int INPUT_SIZE = 256;
    private static final int LEAVES = 8;

    private final TfliteModel model;
    private final double threshold;
    private final double cropScale;
    private final int classOutput;
    private final int maskOutput;
    private final float[] input = new float[INPUT_SIZE * INPUT_SIZE * 3];

    /** Takes ownership of the model; uses the original project's threshold and crop. */
    public LivenessChecker(TfliteModel model) {
        this(model, DEFAULT_THRESHOLD, DEFAULT_CROP_SCALE);
    }

    /**
     * Takes ownership of the model ({@link #close()} closes it, and so does this constructor when it rejects it).
     *
     * @param cropScale the square crop's side over the face box's longer side
     */
    public LivenessChecker(TfliteModel model, double threshold, double cropScale) {
        try {
            if (!(threshold > 0)) throw new IllegalArgumentException("threshold must be positive, got " + threshold);
            if (!(cropScale >= 0.5 && cropScale <= 3)) {
                throw new IllegalArgumentException("cropScale must be within 0.5..3, got " + cropScale);
            }
            int[] shape = model.inputShape();
            if (!Arrays.equals(shape, new int[] {1, INPUT_SIZE, INPUT_SIZE, 3})) {
                throw new IllegalArgumentException("not the FaceAntiSpoofing model: input shape "
                        + Arrays.toString(shape) + ", expected [1, 256, 256, 3]");
            }
            int[][] outputs = model.outputShapes();
            if (outputs.length != 2 || !Arrays.equals(outputs[0], new int[] {1, LEAVES})
                    || !Arrays.equals(outputs[1], new int[] {1, LEAVES})) {
                throw new IllegalArgumentException("not the FaceAntiSpoofing model: outputs "
                        + Arrays.deepToString(outputs) + ", expected two of [1, 8]");
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        OpenCv.load();
        this.model = model;
        this.threshold = threshold;
        this.cropScale = cropScale;
        // The converted model lists its outputs as Identity (classes) then Identity_1 (leaf mask).
        this.classOutput = 0;
        this.maskOutput = 1;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public Liveness check(Mat bgr, Face face) {
        if (bgr.empty() || bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("check needs a non-empty 8-bit BGR image, got " + bgr);
        }
        fillInput(bgr, face);
        float[][] outputs = model.run(input);
        double score = leafScore(outputs[classOutput], outputs[maskOutput]);
        return new Liveness(score, score < threshold, threshold);
    }

    static double leafScore(float[] classes, float[] mask) {
        double score = 0;
        for (int i = 0; i < LEAVES; i++) score += Math.abs(classes[i]) * mask[i];
        return score;
    }

    /** The 256x256 RGB [0, 1] crop the model sees; the caller releases it. Package-private for tests. */
    Mat crop(Mat bgr, Face face) {
        double side = Math.max(face.width(), face.height()) * cropScale;
        side = Math.min(side, Math.min(bgr.cols(), bgr.rows()));
        double centreX = face.x() + face.width() / 2.0;
        double centreY = face.y() + face.height() / 2.0;
        // keep the square inside the image by moving it, as the original does, rather than padding
        centreX = Math.max(side / 2, Math.min(bgr.cols() - side / 2, centreX));
        centreY = Math.max(side / 2, Math.min(bgr.rows() - side / 2, centreY));
        double roll = Math.toDegrees(Math.atan2(face.keypointY(Face.LEFT_EYE) - face.keypointY(Face.RIGHT_EYE),
                face.keypointX(Face.LEFT_EYE) - face.keypointX(Face.RIGHT_EYE)));
        double scale = INPUT_SIZE / side;
        Mat transform = Imgproc.getRotationMatrix2D(new Point(centreX, centreY), roll, scale);
        Mat upright = new Mat();
        try {
            // move the square's centre to the output's centre
            transform.put(0, 2, transform.get(0, 2)[0] + INPUT_SIZE / 2.0 - centreX);
            transform.put(1, 2, transform.get(1, 2)[0] + INPUT_SIZE / 2.0 - centreY);
            Imgproc.warpAffine(bgr, upright, transform, new Size(INPUT_SIZE, INPUT_SIZE), Imgproc.INTER_LINEAR,
                    Core.BORDER_REPLICATE);
            Imgproc.cvtColor(upright, upright, Imgproc.COLOR_BGR2RGB);
            Mat scaled = new Mat();
            upright.convertTo(scaled, CvType.CV_32FC3, 1 / 255.0);
            return scaled;
        } finally {
            transform.release();
            upright.release();
        }
    }

    private void fillInput(Mat bgr, Face face) {
        Mat scaled = crop(bgr, face);
        try {
            scaled.get(0, 0, input);
        } finally {
            scaled.release();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
