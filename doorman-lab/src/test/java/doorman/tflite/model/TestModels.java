package doorman.tflite.model;

import doorman.models.ModelFiles;
import doorman.tflite.JavacppTflite;
import doorman.tflite.TfliteModel;
import doorman.tflite.TfliteOptions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Fetched model files and datasets for these tests, skipping with a reason when absent, and small helpers. */
final class TestModels {

    private TestModels() {}

    static Path model(String name) {
        Path p = ModelFiles.locate().dir().resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), "model " + p.toAbsolutePath() + " is absent (build with mvn package)");
        return p;
    }

    static byte[] bytes(String modelName) {
        try {
            return Files.readAllBytes(model(modelName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** MobileFaceNet at batch 1 as it was before the build fused its PReLUs: what the rewrites start from. */
    static byte[] unfusedBatchOne() {
        return BatchFix.toBatchOne(bytes("MobileFaceNet.tflite"), 2);
    }

    static Path write(Path dir, String name, byte[] model) {
        try {
            return Files.write(dir.resolve(name), model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TfliteModel load(Path file, boolean xnnpack) {
        return JavacppTflite.load(file, new TfliteOptions(1, xnnpack, null));
    }

    static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = random.nextFloat() * 2 - 1;
        return x;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
