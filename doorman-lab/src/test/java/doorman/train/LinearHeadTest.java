package doorman.train;

import doorman.train.PcaHead;
import doorman.modeltool.LinearHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearHeadTest {

    @TempDir
    Path dir;

    @Test
    void appliesFullyConnectedThenL2Normalisation() {
        // W = [[1, 0, 2], [0, 3, 0]], b = [1, -1]; x = [1, 1, 1] -> z = [4, 2] -> [2, 1] / sqrt(5)
        LinearHead head = new LinearHead(new float[]{1, 0, 2, 0, 3, 0}, new float[]{1, -1});
        assertEquals(3, head.inDim());
        assertEquals(2, head.outDim());
        float[] y = head.apply(new float[]{1, 1, 1});
        assertArrayEquals(new float[]{(float) (2 / Math.sqrt(5)), (float) (1 / Math.sqrt(5))}, y, 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> head.apply(new float[]{1, 1}));
        LinearHead flat = new LinearHead(new float[]{1, 0, 2, 0, 2, 0}, new float[]{1, -1});
        assertThrows(IllegalArgumentException.class, () -> flat.apply(new float[]{-1, 0.5f, 0}),
                "an input mapped to zero has no direction");
    }

    @Test
    void rejectsMalformedParameters() {
        assertThrows(IllegalArgumentException.class, () -> new LinearHead(new float[5], new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new LinearHead(new float[]{Float.NaN, 0}, new float[]{0}));
    }

    @Test
    void savesAndLoadsTheDocumentedLittleEndianFormat() throws IOException {
        LinearHead head = randomHead(128, 192, 3);
        Path file = dir.resolve("head.bin");
        head.save(file);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(16 + 4 * 128 * 192 + 4 * 128 + 4, bytes.length);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("DMLH", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, buf.getInt(4));
        assertEquals(128, buf.getInt(8));
        assertEquals(192, buf.getInt(12));
        assertEquals(head.weights()[1], buf.getFloat(16 + 4));
        assertEquals(head.bias()[0], buf.getFloat(16 + 4 * 128 * 192));
        assertEquals(head, LinearHead.load(file));
    }

    @Test
    void refusesDamagedFiles() throws IOException {
        Path file = dir.resolve("head.bin");
        randomHead(4, 6, 1).save(file);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[20] ^= 1;
        Files.write(file, flipped);
        assertTrue(assertThrows(IOException.class, () -> LinearHead.load(file)).getMessage().contains("checksum"));

        Files.write(file, Arrays.copyOf(good, good.length - 10));
        assertTrue(assertThrows(IOException.class, () -> LinearHead.load(file)).getMessage().contains("truncated"));

        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 'X';
        Files.write(file, wrongMagic);
        assertTrue(assertThrows(IOException.class, () -> LinearHead.load(file)).getMessage().contains("magic"));
    }

    @Test
    void pcaFindsThePrincipalAxesAndCentresTheData() {
        // data spread mostly along e1+e2, less along e3, barely elsewhere, around a mean of 5 in every coordinate
        Random random = new Random(9);
        int dim = 6;
        float[][] data = new float[2000][dim];
        double s = Math.sqrt(0.5);
        for (float[] row : data) {
            double a = 3 * random.nextGaussian(), c = random.nextGaussian();
            for (int i = 0; i < dim; i++) row[i] = (float) (5 + 0.01 * random.nextGaussian());
            row[0] += (float) (a * s);
            row[1] += (float) (a * s);
            row[2] += (float) c;
        }
        LinearHead pca = PcaHead.fit(data, 2);
        float[] w = pca.weights();
        assertArrayEquals(new float[]{(float) s, (float) s, 0, 0, 0, 0}, Arrays.copyOfRange(w, 0, dim), 0.01f);
        assertArrayEquals(new float[]{0, 0, 1, 0, 0, 0}, Arrays.copyOfRange(w, dim, 2 * dim), 0.01f);
        // bias = -W mean, so the mean point projects to the origin
        float[] mean = new float[dim];
        for (float[] row : data) for (int i = 0; i < dim; i++) mean[i] += row[i] / data.length;
        float[] b = pca.bias();
        for (int o = 0; o < 2; o++) {
            double wMean = 0;
            for (int i = 0; i < dim; i++) wMean += w[o * dim + i] * mean[i];
            assertEquals(-wMean, b[o], 1e-4);
        }
    }

    @Test
    void pcaRejectsImpossibleDimensions() {
        float[][] data = new float[10][4];
        assertThrows(IllegalArgumentException.class, () -> PcaHead.fit(data, 5));
        assertThrows(IllegalArgumentException.class, () -> PcaHead.fit(new float[1][4], 2));
    }

    static LinearHead randomHead(int out, int in, long seed) {
        Random random = new Random(seed);
        float[] w = new float[out * in], b = new float[out];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) random.nextGaussian();
        return new LinearHead(w, b);
    }
}
