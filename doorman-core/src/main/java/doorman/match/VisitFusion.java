package doorman.match;

import doorman.embedding.Embedding;

import java.util.List;

/**
 * One embedding for several: the mean of L2-normalised embeddings, normalised again. For a visit's frames it
 * averages out what differs from frame to frame (pose, light, blur) and keeps the identity; for a person's
 * templates it gives their centroid.
 */
public final class VisitFusion {

    private VisitFusion() {}

    public static Embedding mean(List<Embedding> embeddings) {
        if (embeddings.isEmpty()) throw new IllegalArgumentException("nothing to fuse");
        int dim = embeddings.get(0).dimension();
        double[] sum = new double[dim];
        for (Embedding e : embeddings) {
            float[] v = e.values();
            if (v.length != dim) throw new IllegalArgumentException("embeddings of " + v.length + " and " + dim + " values");
            for (int i = 0; i < dim; i++) sum[i] += v[i];
        }
        float[] mean = new float[dim];
        for (int i = 0; i < dim; i++) mean[i] = (float) (sum[i] / embeddings.size());
        return Embedding.normalised(mean);
    }
}
