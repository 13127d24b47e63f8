package doorman.liveness;

/**
 * MiniFASNet's post-processing: each model gives three logits (index 1 = live); the reference ensemble sums the
 * two models' softmax outputs. Halving the sum gives a live probability in 0..1.
 */
public final class MiniFasNetScores {

    public static final int CLASSES = 3, LIVE = 1;

    private MiniFasNetScores() {}

    public static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    /** The live probability of the two-model ensemble: the mean of the models' softmax at the live class. */
    public static double liveScore(float[] logitsV2, float[] logitsV1se) {
        if (logitsV2.length != CLASSES || logitsV1se.length != CLASSES)
            throw new IllegalArgumentException("MiniFASNet gives " + CLASSES + " logits, got " + logitsV2.length + " and " + logitsV1se.length);
        return (softmax(logitsV2)[LIVE] + softmax(logitsV1se)[LIVE]) / 2;
    }

    /** An 80x80 BGR crop's bytes (row-major, interleaved, as OpenCV keeps them) as the model's NHWC float input, 0-255. */
    public static float[] input(byte[] bgr) {
        float[] out = new float[bgr.length];
        for (int i = 0; i < bgr.length; i++) out[i] = bgr[i] & 0xff;
        return out;
    }
}
