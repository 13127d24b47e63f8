package doorman.train;

/**
 * Forward and backward pass, in double precision, of f(x) = normalise(W x + b) followed by the triplet loss
 * L = mean over mined triplets of max(|f(a)-f(p)|^2 - |f(a)-f(n)|^2 + alpha, 0).
 *
 * <p>Gradient, with T triplets and only active triplets (hinge above zero) contributing:
 * dL/df(a) = 2/T (f(n) - f(p)), dL/df(p) = 2/T (f(p) - f(a)), dL/df(n) = 2/T (f(a) - f(n)).
 * Through y = z/|z|: dL/dz = (g - y (y.g)) / |z|, the component of g orthogonal to y, scaled by 1/|z|.
 * Then dL/dW = sum over rows of dz x^T and dL/db = sum of dz. Mining is a selection, held fixed when
 * differentiating (the loss is piecewise smooth in W, and this is the gradient of the active piece).
 */
final class TripletLoss {

    /** Loss of one batch, with how many triplets were mined and how many of them were active. */
    record Result(double loss, int triplets, int active) {
    }

    private final int inDim;
    private final int outDim;
    private final Mining mining;
    private final double alpha;
    private final RowRunner rows;

    TripletLoss(int inDim, int outDim, Mining mining, double alpha, RowRunner rows) {
        this.inDim = inDim;
        this.outDim = outDim;
        this.mining = mining;
        this.alpha = alpha;
        this.rows = rows;
    }

    /**
     * Computes the loss of the batch {@code x} (rows are samples, {@code labels} their people) and, when
     * {@code gradW} is not null, writes dL/dW into {@code gradW} and dL/db into {@code gradB}.
     */
    Result compute(double[] w, double[] b, double[][] x, int[] labels, double[] gradW, double[] gradB) {
        int n = x.length;
        double[][] y = new double[n][outDim];
        double[] norms = new double[n];
        rows.forEach(n, r -> norms[r] = project(w, b, x[r], y[r]));

        double[][] dist = new double[n][n];
        rows.forEach(n, i -> {
            for (int j = 0; j < n; j++) dist[i][j] = squaredDistance(y[i], y[j]);
        });

        double[][] gy = gradW == null ? null : new double[n][outDim];
        int[] counts = new int[2];
        double total = mining == Mining.BATCH_HARD
                ? batchHard(dist, labels, y, gy, counts)
                : semiHard(dist, labels, y, gy, counts);
        int triplets = counts[0], active = counts[1];
        if (triplets == 0) throw new IllegalArgumentException("batch has no triplet: needs two people, one with two images");
        if (gradW == null) return new Result(total / triplets, triplets, active);

        double scale = 2.0 / triplets;
        double[][] gz = new double[n][outDim];
        rows.forEach(n, r -> {
            double dot = 0;
            for (int o = 0; o < outDim; o++) dot += y[r][o] * gy[r][o];
            for (int o = 0; o < outDim; o++) gz[r][o] = scale * (gy[r][o] - y[r][o] * dot) / norms[r];
        });
        rows.forEach(outDim, o -> {
            int row = o * inDim;
            for (int i = 0; i < inDim; i++) gradW[row + i] = 0;
            double gb = 0;
            for (int r = 0; r < n; r++) {
                double g = gz[r][o];
                if (g == 0) continue;
                gb += g;
                double[] xr = x[r];
                for (int i = 0; i < inDim; i++) gradW[row + i] += g * xr[i];
            }
            gradB[o] = gb;
        });
        return new Result(total / triplets, triplets, active);
    }

    /** y := normalise(W x + b); returns |W x + b|. */
    double project(double[] w, double[] b, double[] x, double[] y) {
        double norm2 = 0;
        for (int o = 0; o < outDim; o++) {
            double s = b[o];
            int row = o * inDim;
            for (int i = 0; i < inDim; i++) s += w[row + i] * x[i];
            y[o] = s;
            norm2 += s * s;
        }
        double norm = Math.sqrt(norm2);
        for (int o = 0; o < outDim; o++) y[o] /= norm;
        return norm;
    }

    private double batchHard(double[][] dist, int[] labels, double[][] y, double[][] gy, int[] counts) {
        double total = 0;
        for (int a = 0; a < dist.length; a++) {
            int p = -1, neg = -1;
            for (int j = 0; j < dist.length; j++) {
                if (j == a) continue;
                if (labels[j] == labels[a]) {
                    if (p < 0 || dist[a][j] > dist[a][p]) p = j;
                } else if (neg < 0 || dist[a][j] < dist[a][neg]) {
                    neg = j;
                }
            }
            if (p < 0 || neg < 0) continue;
            total += addTriplet(dist, y, gy, counts, a, p, neg);
        }
        return total;
    }

    private double semiHard(double[][] dist, int[] labels, double[][] y, double[][] gy, int[] counts) {
        double total = 0;
        for (int a = 0; a < dist.length; a++) {
            for (int p = 0; p < dist.length; p++) {
                if (p == a || labels[p] != labels[a]) continue;
                double dap = dist[a][p];
                int semiHard = -1, farthest = -1;
                for (int j = 0; j < dist.length; j++) {
                    if (labels[j] == labels[a]) continue;
                    if (dist[a][j] > dap && (semiHard < 0 || dist[a][j] < dist[a][semiHard])) semiHard = j;
                    if (farthest < 0 || dist[a][j] > dist[a][farthest]) farthest = j;
                }
                if (farthest < 0) continue;
                total += addTriplet(dist, y, gy, counts, a, p, semiHard >= 0 ? semiHard : farthest);
            }
        }
        return total;
    }

    /** Counts the triplet, accumulates its gradient (without the 2/T factor) and returns its loss. */
    private double addTriplet(double[][] dist, double[][] y, double[][] gy, int[] counts, int a, int p, int n) {
        counts[0]++;
        double loss = dist[a][p] - dist[a][n] + alpha;
        if (loss <= 0) return 0;
        counts[1]++;
        if (gy != null) {
            for (int o = 0; o < outDim; o++) {
                gy[a][o] += y[n][o] - y[p][o];
                gy[p][o] += y[p][o] - y[a][o];
                gy[n][o] += y[a][o] - y[n][o];
            }
        }
        return loss;
    }

    private static double squaredDistance(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            double d = u[i] - v[i];
            s += d * d;
        }
        return s;
    }
}
