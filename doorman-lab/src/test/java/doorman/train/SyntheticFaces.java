package doorman.train;

import doorman.modeltool.LinearHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Embedding-like test data: each person is a random direction in 192-d; each image of a person adds
 * variation shared by everyone (a few strong "pose and light" directions, as real encoders show) and
 * isotropic noise, then is L2-normalised like an encoder output. Image counts vary, some people have one.
 */
final class SyntheticFaces {

    static final int DIM = 192;

    record Data(float[][] embeddings, int[] personIds) {
    }

    private final double[][] nuisance;
    private final double nuisanceStd, noiseStd;

    SyntheticFaces(int nuisanceDirections, double nuisanceStd, double noiseStd, long seed) {
        Random random = new Random(seed);
        this.nuisance = new double[nuisanceDirections][];
        for (int k = 0; k < nuisanceDirections; k++) nuisance[k] = unit(random);
        this.nuisanceStd = nuisanceStd;
        this.noiseStd = noiseStd;
    }

    static SyntheticFaces realistic() {
        return new SyntheticFaces(24, 0.25, 0.05, 7);
    }

    /** {@code people} people; about one in six has a single image, the rest 2..maxImages. */
    Data generate(int people, int maxImages, long seed) {
        Random random = new Random(seed);
        List<float[]> rows = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            double[] centre = unit(random);
            int images = random.nextInt(6) == 0 ? 1 : 2 + random.nextInt(maxImages - 1);
            for (int k = 0; k < images; k++) {
                double[] v = centre.clone();
                for (double[] dir : nuisance) {
                    double a = nuisanceStd * random.nextGaussian();
                    for (int i = 0; i < DIM; i++) v[i] += a * dir[i];
                }
                for (int i = 0; i < DIM; i++) v[i] += noiseStd * random.nextGaussian();
                rows.add(normalise(v));
                ids.add(p);
            }
        }
        return new Data(rows.toArray(new float[0][]), ids.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A Gaussian random projection: the floor a learned head must clear. */
    static LinearHead randomProjection(int in, int out, long seed) {
        Random random = new Random(seed);
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        return new LinearHead(w, new float[out]);
    }

    private static double[] unit(Random random) {
        double[] v = new double[DIM];
        double n = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = random.nextGaussian();
            n += v[i] * v[i];
        }
        n = Math.sqrt(n);
        for (int i = 0; i < DIM; i++) v[i] /= n;
        return v;
    }

    private static float[] normalise(double[] v) {
        double n = 0;
        for (double x : v) n += x * x;
        n = Math.sqrt(n);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) (v[i] / n);
        return f;
    }
}
