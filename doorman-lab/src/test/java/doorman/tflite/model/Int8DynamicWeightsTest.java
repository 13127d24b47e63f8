package doorman.tflite.model;

import doorman.tflite.TfliteModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class Int8DynamicWeightsTest {

    @TempDir
    Path dir;

    @Test
    void eachOutputChannelGetsItsOwnSymmetricScale() {
        // depthwise layout [1, kh, kw, channels]: the channel is the last axis
        float[] values = {1f, -0.5f, 0f, -2f, 0.25f, 0f, 0.5f, 1f, 0f, 0f, -0.125f, 0f};
        Int8DynamicWeights.PerChannel q = Int8DynamicWeights.quantize("w", values, new int[]{1, 2, 2, 3}, 3);
        float[] scales = q.quantization().scales();
        assertArrayEquals(new float[]{2f / 127, 1f / 127, 1f}, scales, 1e-9f);
        assertArrayEquals(new long[3], q.quantization().zeroPoints());
        assertEquals(3, q.quantization().quantizedDimension());
        assertEquals(-127, q.values()[3]);
        assertEquals(127, q.values()[7]);
        for (int i = 0; i < values.length; i++)
            assertEquals(values[i], q.values()[i] * scales[i % 3], scales[i % 3] / 2 + 1e-7, "value " + i);
    }

    @Test
    void hybridFullyConnectedRunsOnTfliteAndMatchesFloatArithmetic() {
        float[] weights = TestModels.random(8 * 16, 21);
        float[] bias = TestModels.random(8, 22);
        byte[] model = Int8DynamicWeights.convert(TinyModels.fullyConnected(16, weights, bias));
        FlatModel flat = new FlatModel(ByteBuffer.wrap(model));
        assertEquals(FlatModel.TYPE_INT8, flat.tensors().get(1).type());
        assertEquals(FlatModel.TYPE_FLOAT32, flat.tensors().get(2).type(), "bias stays float");
        assertEquals(8, flat.quantization(1).channels());
        float[] x = TestModels.random(16, 23);
        Path file = TestModels.write(dir, "tiny-int8.tflite", model);
        for (boolean xnnpack : new boolean[]{true, false}) {
            try (TfliteModel m = TestModels.load(file, xnnpack)) {
                float[] y = m.run(x)[0];
                for (int o = 0; o < 8; o++) {
                    double expected = bias[o];
                    for (int i = 0; i < 16; i++) expected += weights[o * 16 + i] * x[i];
                    // weights and the input are each rounded to 1/254 of their range
                    assertEquals(expected, y[o], 0.1, "xnnpack=" + xnnpack + " output " + o);
                }
            }
        }
    }

    @Test
    void aModelWithoutLayerWeightsIsRefused() {
        byte[] model = TinyModels.fullyConnected(4, new float[12], new float[3]);
        byte[] once = Int8DynamicWeights.convert(model);
        assertThrows(IllegalArgumentException.class, () -> Int8DynamicWeights.convert(once));
    }
}
