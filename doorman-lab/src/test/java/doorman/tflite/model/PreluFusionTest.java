package doorman.tflite.model;

import doorman.models.ModelFiles;
import doorman.tflite.TfliteModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PreluFusionTest {

    @TempDir
    Path dir;

    @Test
    void fusedMobileFaceNetGivesBitIdenticalEmbeddingsWithFewerOperators() {
        byte[] original = TestModels.unfusedBatchOne();
        byte[] fused = PreluFusion.fuse(original);
        List<FlatModel.Operator> before = new FlatModel(ByteBuffer.wrap(original)).operators();
        List<FlatModel.Operator> after = new FlatModel(ByteBuffer.wrap(fused)).operators();
        long prelus = after.stream().filter(op -> op.builtinCode() == FlatModel.OP_PRELU).count();
        long abs = after.stream().filter(op -> op.builtinCode() == FlatModel.OP_ABS).count();
        assertEquals(33, prelus);
        assertEquals(0, abs);
        assertEquals(before.size() - 4 * prelus, after.size());
        assertTrue(fused.length < original.length + 16_384, original.length + " -> " + fused.length);
        float[] face = TestModels.random(112 * 112 * 3, 8);
        for (boolean xnnpack : new boolean[]{true, false}) {
            try (TfliteModel a = TestModels.load(TestModels.write(dir, "a.tflite", original), xnnpack);
                 TfliteModel b = TestModels.load(TestModels.write(dir, "b.tflite", fused), xnnpack)) {
                // 2a * x and a * (x - |x|) round alike: x - |x| = 2x exactly, and scaling by two is exact
                assertArrayEquals(a.run(face)[0], b.run(face)[0], "xnnpack=" + xnnpack);
            }
        }
    }

    @Test
    void aModelWithoutSpelledOutPreluIsRefused() {
        byte[] tiny = TinyModels.fullyConnected(4, new float[12], new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreluFusion.fuse(tiny));
        assertTrue(e.getMessage().contains("PReLU"), e.getMessage());
    }

    @Test
    void replacedAndRemovedOperatorsAreCheckedAndWritten() {
        byte[] tiny = TinyModels.fullyConnected(4, TestModels.random(12, 9), new float[]{1f, 2f, 3f});
        ModelRewriter rewriter = new ModelRewriter(tiny);
        assertThrows(IllegalArgumentException.class, () -> rewriter.removeOperator(1));
        assertThrows(IllegalArgumentException.class, () -> rewriter.replaceOperator(-1, FlatModel.OP_ADD, new int[0], new int[0]));
        // removing and then replacing: the last call wins, and the layer's place goes to the new operator
        rewriter.removeOperator(0);
        rewriter.replaceOperator(0, FlatModel.OP_L2_NORMALIZATION, new int[]{0}, new int[]{3});
        FlatModel flat = new FlatModel(ByteBuffer.wrap(rewriter.write()));
        assertEquals(1, flat.operators().size());
        assertEquals(FlatModel.OP_L2_NORMALIZATION, flat.operators().get(0).builtinCode());
        ModelRewriter remover = new ModelRewriter(tiny);
        remover.replaceOperator(0, FlatModel.OP_L2_NORMALIZATION, new int[]{0}, new int[]{3});
        remover.removeOperator(0);
        assertEquals(0, new FlatModel(ByteBuffer.wrap(remover.write())).operators().size());
    }
}
