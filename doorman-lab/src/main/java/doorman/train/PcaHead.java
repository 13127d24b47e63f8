package doorman.train;

import doorman.modeltool.LinearHead;

/** The PCA head, which initialises training and is its baseline. */
public final class PcaHead {

    private PcaHead() {
    }

    /**
     * The PCA head: rows are the top {@code outDim} principal axes of {@code data} and the bias subtracts
     * the mean, so {@code W x + b = W (x - mean)}. Used to initialise training and as its baseline.
     */
    public static LinearHead fit(float[][] data, int outDim) {
        if (data.length < 2) throw new IllegalArgumentException("PCA needs at least 2 samples, got " + data.length);
        int in = data[0].length;
        if (outDim < 1 || outDim > in)
            throw new IllegalArgumentException("output dimension must be in 1.." + in + ", got " + outDim);
        double[] mean = new double[in];
        for (float[] row : data) {
            if (row.length != in) throw new IllegalArgumentException("samples differ in dimension");
            for (int i = 0; i < in; i++) mean[i] += row[i];
        }
        for (int i = 0; i < in; i++) mean[i] /= data.length;
        double[][] cov = new double[in][in];
        double[] centred = new double[in];
        for (float[] row : data) {
            for (int i = 0; i < in; i++) centred[i] = row[i] - mean[i];
            for (int i = 0; i < in; i++) {
                double ci = centred[i];
                double[] covRow = cov[i];
                for (int j = 0; j <= i; j++) covRow[j] += ci * centred[j];
            }
        }
        for (int i = 0; i < in; i++)
            for (int j = 0; j <= i; j++) {
                cov[i][j] /= data.length - 1;
                cov[j][i] = cov[i][j];
            }
        SymmetricEigen eigen = SymmetricEigen.of(cov);
        float[] w = new float[outDim * in];
        float[] b = new float[outDim];
        for (int o = 0; o < outDim; o++) {
            double[] axis = eigen.vectors()[o];
            double shift = 0;
            for (int i = 0; i < in; i++) {
                w[o * in + i] = (float) axis[i];
                shift += axis[i] * mean[i];
            }
            b[o] = (float) -shift;
        }
        return new LinearHead(w, b);
    }
}
