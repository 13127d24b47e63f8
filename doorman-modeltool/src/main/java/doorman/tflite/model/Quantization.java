package doorman.tflite.model;

import java.util.Arrays;

/**
 * A tensor's affine quantisation as TFLite stores it: {@code real = scale * (q - zeroPoint)}, with one scale per
 * slice along {@code quantizedDimension} when there are several (per-channel weights), else one for the tensor.
 */
public record Quantization(float[] scales, long[] zeroPoints, int quantizedDimension) {

    public Quantization {
        if (scales.length == 0 || scales.length != zeroPoints.length)
            throw new IllegalArgumentException("need as many zero points as scales (at least one), got "
                    + scales.length + " and " + zeroPoints.length);
        if (quantizedDimension < 0) throw new IllegalArgumentException("negative quantized dimension " + quantizedDimension);
        for (float s : scales)
            if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("scales must be positive and finite, got " + s);
        scales = scales.clone();
        zeroPoints = zeroPoints.clone();
    }

    public static Quantization perTensor(float scale, long zeroPoint) {
        return new Quantization(new float[]{scale}, new long[]{zeroPoint}, 0);
    }

    /** Symmetric (zero point 0) with one scale per slice along {@code dimension}. */
    public static Quantization symmetric(float[] scales, int dimension) {
        return new Quantization(scales, new long[scales.length], dimension);
    }

    @Override
    public float[] scales() {
        return scales.clone();
    }

    @Override
    public long[] zeroPoints() {
        return zeroPoints.clone();
    }

    public int channels() {
        return scales.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantization q && quantizedDimension == q.quantizedDimension
                && Arrays.equals(scales, q.scales) && Arrays.equals(zeroPoints, q.zeroPoints);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints)) + quantizedDimension;
    }

    @Override
    public String toString() {
        return "Quantization[" + scales.length + " scale(s) on dimension " + quantizedDimension + ", first "
                + scales[0] + " zero point " + zeroPoints[0] + "]";
    }
}
