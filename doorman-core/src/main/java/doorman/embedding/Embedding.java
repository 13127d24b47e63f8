package doorman.embedding;

import java.util.Arrays;

/** An L2-normalised face embedding. Distances between embeddings are squared Euclidean. */
public record Embedding(float[] values) {

    public Embedding {
        values = values.clone();
    }

    /** Normalises {@code raw} to unit length; a zero vector is rejected since it has no direction. */
    public static Embedding normalised(float[] raw) {
        double sum = 0;
        for (float v : raw) sum += (double) v * v;
        if (!(sum > 0) || Double.isNaN(sum)) throw new IllegalArgumentException("embedding has no direction");
        float inv = (float) (1 / Math.sqrt(sum));
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) out[i] = raw[i] * inv;
        return new Embedding(out);
    }

    public int dimension() {
        return values.length;
    }

    /** Squared Euclidean distance: 0 for identical faces, 4 at most for unit vectors. */
    public double distance(Embedding other) {
        return squaredDistance(values, other.values);
    }

    public static double squaredDistance(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("dimensions differ: " + a.length + " vs " + b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    public float[] toArray() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Embedding[" + values.length + "d]";
    }
}
