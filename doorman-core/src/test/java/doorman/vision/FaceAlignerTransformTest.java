package doorman.vision;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaceAlignerTransformTest {

    /** Applies a row-major 2x3 matrix to (x, y) pairs. */
    static double[] apply(double[] m, double[] points) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i += 2) {
            out[i] = m[0] * points[i] + m[1] * points[i + 1] + m[2];
            out[i + 1] = m[3] * points[i] + m[4] * points[i + 1] + m[5];
        }
        return out;
    }

    @Test
    void recoversAKnownSimilarityExactly() {
        double angle = Math.toRadians(23), scale = 1.7, tx = -31.5, ty = 12.25;
        double a = scale * Math.cos(angle), b = scale * Math.sin(angle);
        double[] known = {a, -b, tx, b, a, ty};
        double[] from = {10, 20, 55, 18, 33, 47, 30, 70, -4, 9};
        double[] fitted = FaceAligner.similarity(from, apply(known, from));
        assertArrayEquals(known, fitted, 1e-9);
    }

    @Test
    void mapsAFaceOntoTheTemplate() {
        // template scaled by 2.5, turned by -12 degrees and moved: the fit must undo exactly that
        double[] template = FaceAligner.template();
        double angle = Math.toRadians(-12), scale = 2.5;
        double[] place = {scale * Math.cos(angle), -scale * Math.sin(angle), 400,
                scale * Math.sin(angle), scale * Math.cos(angle), 150};
        double[] k = apply(place, template);
        float[] keypoints = {(float) k[0], (float) k[1], (float) k[2], (float) k[3], (float) k[4], (float) k[5],
                (float) k[6], (float) k[7], 300, 300, 600, 300};
        Face face = new Face(350, 150, 300, 300, 0.9f, keypoints);
        double[] m = FaceAligner.transform(face);
        assertArrayEquals(template, apply(m, k), 1e-3);
        assertEquals(1 / scale, Math.hypot(m[0], m[3]), 1e-5);
    }

    @Test
    void leastSquaresSpreadsTheErrorOfNoisyPoints() {
        double[] to = {0, 0, 10, 0, 10, 10, 0, 10};
        double[] from = {0.5, 0, 10, 0, 10, 10, 0, 10};
        double[] m = FaceAligner.similarity(from, to);
        double[] mapped = apply(m, from);
        double error = 0;
        for (int i = 0; i < to.length; i++) error += (mapped[i] - to[i]) * (mapped[i] - to[i]);
        // the identity leaves 0.25 of squared error; the best similarity must do better
        assertTrue(error < 0.25, "residual " + error);
    }

    @Test
    void coincidentPointsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> FaceAligner.similarity(new double[] {1, 1, 1, 1}, new double[] {0, 0, 5, 5}));
    }
}
