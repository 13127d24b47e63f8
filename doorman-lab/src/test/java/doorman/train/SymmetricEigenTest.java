package doorman.train;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymmetricEigenTest {

    @Test
    void decomposesA192By192Matrix() {
        int n = 192;
        Random random = new Random(5);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = random.nextGaussian();
        SymmetricEigen eigen = SymmetricEigen.of(a);
        double worstResidual = 0, worstOrthogonality = 0;
        for (int k = 0; k < n; k++) {
            double[] v = eigen.vectors()[k];
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i][j] * v[j];
                worstResidual = Math.max(worstResidual, Math.abs(av - eigen.values()[k] * v[i]));
            }
            for (int l = 0; l <= k; l++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += v[i] * eigen.vectors()[l][i];
                worstOrthogonality = Math.max(worstOrthogonality, Math.abs(dot - (k == l ? 1 : 0)));
            }
            if (k > 0) assertTrue(eigen.values()[k] <= eigen.values()[k - 1], "eigenvalues sorted, largest first");
        }
        assertEquals(0, worstResidual, 1e-9, "|A v - lambda v|");
        assertEquals(0, worstOrthogonality, 1e-12, "V^T V = I");
    }

    @Test
    void knownTwoByTwo() {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, 1) and (1, -1) / sqrt 2
        SymmetricEigen eigen = SymmetricEigen.of(new double[][]{{2, 1}, {1, 2}});
        assertArrayEquals(new double[]{3, 1}, eigen.values(), 1e-15);
        double r = Math.sqrt(0.5);
        assertArrayEquals(new double[]{r, r}, eigen.vectors()[0], 1e-15);
        assertEquals(0, Math.abs(eigen.vectors()[1][0]) - r, 1e-15);
        assertEquals(0, eigen.vectors()[1][0] + eigen.vectors()[1][1], 1e-15);
    }

    @Test
    void rejectsAsymmetricMatrices() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][]{{1, 2}, {3, 4}}));
    }
}
