package doorman.tflite.model;

import doorman.models.ModelFiles;
import doorman.tflite.TfliteModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The rewriter's additions: dropping replaced weights, quantisation tables, and the whole-file fallback. */
class ModelRewriterTest {

    @TempDir
    Path dir;

    @Test
    void unchangedRewriteKeepsSizeAndOutputsAndCanBeRewrittenAgain() {
        byte[] original = TestModels.unfusedBatchOne();
        byte[] once = new ModelRewriter(original).write();
        byte[] twice = new ModelRewriter(once).write();
        // only the graph tables are new; the weights are copied, not duplicated
        assertTrue(once.length < original.length + 16_384, "rewrite grew from " + original.length + " to " + once.length);
        assertTrue(twice.length < once.length + 16_384, "second rewrite grew from " + once.length + " to " + twice.length);
        float[] face = TestModels.random(112 * 112 * 3, 1);
        float[] expected = run(TestModels.write(dir, "original.tflite", original), face)[0];
        assertArrayEquals(expected, run(TestModels.write(dir, "once.tflite", once), face)[0]);
        assertArrayEquals(expected, run(TestModels.write(dir, "twice.tflite", twice), face)[0]);
    }

    @Test
    void aWeightMovedToANewBufferLeavesItsOldBytesBehind() {
        byte[] original = TestModels.unfusedBatchOne();
        ModelRewriter rewriter = new ModelRewriter(original);
        FlatModel flat = rewriter.model();
        FlatModel.Tensor largest = flat.tensors().stream()
                .max(Comparator.comparingInt(t -> flat.buffer(t.buffer()).length())).orElseThrow();
        int bytes = flat.buffer(largest.buffer()).length();
        assertTrue(bytes > 100_000, "largest weight has only " + bytes + " bytes");
        rewriter.retypeTensor(largest.index(), FlatModel.TYPE_FLOAT32, rewriter.addBuffer(flat.bufferBytes(largest.buffer())));
        byte[] moved = rewriter.write();
        assertTrue(moved.length < original.length + 16_384, "old copy kept: " + original.length + " -> " + moved.length);
        FlatModel after = new FlatModel(ByteBuffer.wrap(moved));
        assertEquals(0, after.buffer(largest.buffer()).length(), "the old buffer should be empty now");
        float[] face = TestModels.random(112 * 112 * 3, 2);
        assertArrayEquals(run(TestModels.write(dir, "original.tflite", original), face)[0],
                run(TestModels.write(dir, "moved.tflite", moved), face)[0]);
    }

    @Test
    void quantisationTablesAreWrittenAndKept() {
        byte[] tiny = TinyModels.fullyConnected(4, TestModels.random(12, 3), new float[]{0.1f, 0.2f, 0.3f});
        ModelRewriter rewriter = new ModelRewriter(tiny);
        Quantization perChannel = Quantization.symmetric(new float[]{0.5f, 0.25f, 0.125f}, 0);
        Quantization perTensor = Quantization.perTensor(0.02f, -3);
        rewriter.retypeTensor(1, FlatModel.TYPE_INT8, rewriter.addBuffer(new byte[12]), perChannel);
        int added = rewriter.addTensor("extra", FlatModel.TYPE_INT8, new int[]{2, 2}, rewriter.addBuffer(new byte[4]), perTensor);
        FlatModel once = new FlatModel(ByteBuffer.wrap(rewriter.write()));
        assertEquals(perChannel, once.quantization(1));
        assertEquals(perTensor, once.quantization(added));
        assertNull(once.quantization(2), "the float bias has no quantisation");
        assertEquals("weights", once.tensors().get(1).name());
        assertArrayEquals(new int[]{3, 4}, once.toArray(once.tensors().get(1).shape()));

        // retyping without new parameters keeps the old ones; retyping with null drops them
        ModelRewriter again = new ModelRewriter(once.bytes().array());
        again.retypeTensor(1, FlatModel.TYPE_INT8, once.tensors().get(1).buffer());
        again.retypeTensor(added, FlatModel.TYPE_FLOAT32, again.addBuffer(new byte[16]), null);
        FlatModel twice = new FlatModel(ByteBuffer.wrap(again.write()));
        assertEquals(perChannel, twice.quantization(1));
        assertNull(twice.quantization(added));
        assertEquals("tiny test model", twice.description());
    }

    @Test
    void aModelWithItsWeightsAfterTheGraphIsEmbeddedWholeAndStillRuns() {
        float[] weights = TestModels.random(3 * 4, 4);
        float[] bias = {0.5f, -0.25f, 0.125f};
        byte[] tiny = TinyModels.fullyConnected(4, weights, bias);
        ModelRewriter rewriter = new ModelRewriter(tiny);
        int extra = rewriter.addTensor("scaled", FlatModel.TYPE_FLOAT32, new int[]{1, 3}, rewriter.addBuffer(new byte[0]));
        rewriter.appendOperator(FlatModel.OP_L2_NORMALIZATION, new int[]{3}, new int[]{extra});
        rewriter.setOutputs(extra);
        byte[] rewritten = rewriter.write();
        assertTrue(contains(rewritten, tiny), "the whole original should be embedded");
        float[] x = {1f, -2f, 0.5f, 3f};
        float[] z = new float[3];
        double norm = 0;
        for (int o = 0; o < 3; o++) {
            z[o] = bias[o];
            for (int i = 0; i < 4; i++) z[o] += weights[o * 4 + i] * x[i];
            norm += z[o] * z[o];
        }
        for (int o = 0; o < 3; o++) z[o] /= (float) Math.sqrt(norm);
        float[] y = run(TestModels.write(dir, "tiny.tflite", rewritten), x)[0];
        assertArrayEquals(z, y, 1e-5f, Arrays.toString(y));
    }

    @Test
    void metadataDescriptionAndOutputsSurviveOnOtherConverters() {
        byte[] original = TestModels.bytes("FaceAntiSpoofing.tflite");
        FlatModel before = new FlatModel(ByteBuffer.wrap(original));
        byte[] rewritten = new ModelRewriter(original).write();
        FlatModel after = new FlatModel(ByteBuffer.wrap(rewritten));
        assertFalse(before.metadata().isEmpty(), "expected metadata in the converter's file");
        assertEquals(before.metadata(), after.metadata());
        for (Map.Entry<String, Integer> e : before.metadata().entrySet())
            assertArrayEquals(before.bufferBytes(e.getValue()), after.bufferBytes(e.getValue()), e.getKey());
        assertEquals(before.description(), after.description());
        assertTrue(rewritten.length < original.length + 65_536, original.length + " -> " + rewritten.length);
        Path a = TestModels.write(dir, "a.tflite", original);
        Path b = TestModels.write(dir, "b.tflite", rewritten);
        try (TfliteModel m = TestModels.load(a, true); TfliteModel n = TestModels.load(b, true)) {
            float[] x = TestModels.random(m.inputShape()[1] * m.inputShape()[2] * m.inputShape()[3], 5);
            float[][] expected = m.run(x);
            float[][] actual = n.run(x);
            for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], actual[i], "output " + i);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    private static float[][] run(Path model, float[] input) {
        try (TfliteModel m = TestModels.load(model, true)) {
            return m.run(input);
        }
    }
}
