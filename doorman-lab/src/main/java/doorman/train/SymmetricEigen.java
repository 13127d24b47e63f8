package doorman.train;

/**
 * Eigen-decomposition of a real symmetric matrix by cyclic Jacobi rotations. Chosen over power iteration
 * because it yields every eigenpair at once with orthogonal vectors to machine precision, and for the 192x192
 * covariance of an embedding it takes well under a second.
 *
 * @param values  eigenvalues, largest first
 * @param vectors vectors[k] is the unit eigenvector of values[k]; its largest-magnitude entry is positive,
 *                so the result does not depend on the arbitrary sign the rotations leave behind
 */
record SymmetricEigen(double[] values, double[][] vectors) {

    private static final int MAX_SWEEPS = 100;

    static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) throw new IllegalArgumentException("matrix is not square");
            a[i] = matrix[i].clone();
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (a[i][j] != a[j][i]) throw new IllegalArgumentException("matrix is not symmetric at " + i + "," + j);
        double[][] vt = new double[n][n];
        for (int i = 0; i < n; i++) vt[i][i] = 1;

        double scale = 0;
        for (double[] row : a) for (double x : row) scale += x * x;
        // off-diagonal mass below 1e-24 of the total is at the level of rounding noise for n in the hundreds
        double tolerance = 1e-24 * scale;
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a) > tolerance; sweep++) {
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                    if (a[p][q] != 0) rotate(a, vt, p, q);
        }
        if (offDiagonal(a) > tolerance)
            throw new ArithmeticException("Jacobi eigen solver did not converge in " + MAX_SWEEPS + " sweeps");
        return sorted(a, vt);
    }

    private static double offDiagonal(double[][] a) {
        double sum = 0;
        for (int i = 0; i < a.length; i++)
            for (int j = 0; j < a.length; j++)
                if (i != j) sum += a[i][j] * a[i][j];
        return sum;
    }

    /**
     * Applies the rotation J in the (p, q) plane that zeroes a[p][q]: A := J^T A J and V := V J, where
     * {@code vt} holds V transposed so that both updates walk rows (the cache-friendly direction).
     */
    private static void rotate(double[][] a, double[][] vt, int p, int q) {
        double apq = a[p][q];
        double theta = (a[q][q] - a[p][p]) / (2 * apq);
        // the smaller root of t^2 + 2 theta t - 1 = 0 keeps the rotation angle below 45 degrees (stable)
        double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        double[] rowP = a[p], rowQ = a[q];
        for (int k = 0; k < rowP.length; k++) {
            if (k == p || k == q) continue;
            double x = rowP[k], y = rowQ[k];
            double newP = c * x - s * y, newQ = s * x + c * y;
            rowP[k] = newP;
            rowQ[k] = newQ;
            a[k][p] = newP;
            a[k][q] = newQ;
        }
        rowP[p] -= t * apq;
        rowQ[q] += t * apq;
        rowP[q] = 0;
        rowQ[p] = 0;
        double[] vp = vt[p], vq = vt[q];
        for (int k = 0; k < vp.length; k++) {
            double x = vp[k], y = vq[k];
            vp[k] = c * x - s * y;
            vq[k] = s * x + c * y;
        }
    }

    private static SymmetricEigen sorted(double[][] a, double[][] vt) {
        int n = a.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            int col = order[k];
            values[k] = a[col][col];
            double[] vector = vectors[k];
            int largest = 0;
            for (int i = 0; i < n; i++) {
                vector[i] = vt[col][i];
                if (Math.abs(vector[i]) > Math.abs(vector[largest])) largest = i;
            }
            if (vector[largest] < 0) for (int i = 0; i < n; i++) vector[i] = -vector[i];
        }
        return new SymmetricEigen(values, vectors);
    }
}
