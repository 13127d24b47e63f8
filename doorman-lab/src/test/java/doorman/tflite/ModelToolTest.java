package doorman.tflite;

import doorman.models.ModelFiles;
import doorman.tflite.model.BatchFix;
import doorman.tflite.model.HeadAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The model tool's rewrites keep the network's arithmetic: same outputs as the original and a Java head. */
class ModelToolTest {

    private final ModelFiles models = ModelFiles.locate();

    @Test
    void batchOneGraphGivesTheOriginalBatchTwoOutputs() throws IOException {
        float[] face = randomInput(new Random(7));
        float[] twice = new float[2 * face.length];
        System.arraycopy(face, 0, twice, 0, face.length);
        System.arraycopy(face, 0, twice, face.length, face.length);
        try (TfliteModel original = JavacppTflite.load(models.require("MobileFaceNet.tflite"), TfliteOptions.defaults());
             TfliteModel fixed = JavacppTflite.load(models.require(ModelFiles.MOBILEFACENET), TfliteOptions.defaults())) {
            assertArrayEquals(new int[]{2, 112, 112, 3}, original.inputShape());
            assertArrayEquals(new int[]{1, 112, 112, 3}, fixed.inputShape());
            float[] a = original.run(twice)[0];
            float[] b = fixed.run(face)[0];
            assertEquals(192, b.length);
            for (int i = 0; i < 192; i++) assertEquals(a[i], b[i], 1e-5, "dimension " + i);
        }
    }

    @Test
    void batchFixRefusesAModelWithoutThatBatch() throws IOException {
        byte[] fixed = Files.readAllBytes(models.require(ModelFiles.MOBILEFACENET));
        assertThrows(IllegalArgumentException.class, () -> BatchFix.toBatchOne(fixed, 2));
    }

    @Test
    void appendedHeadEqualsTheJavaHeadOnBothBackends(@TempDir Path dir) throws IOException {
        Random random = new Random(11);
        float[] weights = new float[128 * 192];
        float[] bias = new float[128];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) random.nextGaussian() * 0.1f;
        for (int i = 0; i < bias.length; i++) bias[i] = (float) random.nextGaussian() * 0.01f;
        Path base = models.require(ModelFiles.MOBILEFACENET);
        Path encoder = dir.resolve("head.tflite");
        Files.write(encoder, HeadAppender.append(Files.readAllBytes(base), weights, bias, "embedding128"));
        float[] face = randomInput(random);
        for (Backend backend : java.util.List.of(Backend.JAVACPP, doorman.tflite.DjlTflite.BACKEND)) {
            try (TfliteModel plain = backend.load(base, TfliteOptions.defaults());
                 TfliteModel withHead = backend.load(encoder, TfliteOptions.defaults())) {
                float[] expected = javaHead(plain.run(face)[0], weights, bias);
                float[] actual = withHead.run(face)[0];
                assertEquals(128, actual.length);
                for (int i = 0; i < 128; i++) assertEquals(expected[i], actual[i], 1e-5, backend + " dimension " + i);
            }
        }
    }

    @Test
    void missingAndCorruptModelsFailWithTheirPath(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nothing.tflite");
        TfliteException e = assertThrows(TfliteException.class, () -> JavacppTflite.load(missing, TfliteOptions.defaults()));
        assertTrue(e.getMessage().contains("nothing.tflite"), e.getMessage());
        Path junk = dir.resolve("junk.tflite");
        Files.write(junk, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});
        e = assertThrows(TfliteException.class, () -> JavacppTflite.load(junk, TfliteOptions.defaults()));
        assertTrue(e.getMessage().contains("junk.tflite"), e.getMessage());
    }

    @Test
    void wrongInputSizeIsRefused() {
        try (TfliteModel m = JavacppTflite.load(models.require(ModelFiles.MOBILEFACENET), TfliteOptions.defaults())) {
            assertThrows(TfliteException.class, () -> m.run(new float[10]));
        }
    }

    static float[] javaHead(float[] raw, float[] weights, float[] bias) {
        int in = raw.length;
        double rawNorm = 0;
        for (float v : raw) rawNorm += (double) v * v;
        float[] x = new float[in];
        for (int i = 0; i < in; i++) x[i] = (float) (raw[i] / Math.sqrt(rawNorm));
        float[] z = new float[bias.length];
        double norm = 0;
        for (int o = 0; o < z.length; o++) {
            double s = bias[o];
            for (int i = 0; i < in; i++) s += (double) weights[o * in + i] * x[i];
            z[o] = (float) s;
            norm += s * s;
        }
        for (int o = 0; o < z.length; o++) z[o] /= (float) Math.sqrt(norm);
        return z;
    }

    private static float[] randomInput(Random random) {
        float[] input = new float[112 * 112 * 3];
        for (int i = 0; i < input.length; i++) input[i] = random.nextFloat() * 2 - 1;
        return input;
    }
}
