package doorman.tflite.onnx;

import doorman.tflite.model.FlatModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each converted operator on a tiny generated ONNX graph, against ONNX Runtime on the original, within 1e-4. */
class OnnxToTfliteOpsTest {

    @TempDir
    Path tmp;

    private final Random random = new Random(13);

    private float[] values(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (random.nextGaussian() * scale);
        return v;
    }

    private static long[] longs(long... v) {
        return v;
    }

    /** Runs both and returns the TFLite file's operator counts; outputs of rank 4 are compared in NHWC. */
    private Map<Integer, Integer> check(OnnxWriter w, long[] in, long[] outShape) throws Exception {
        byte[] onnx = w.input("x", in).output("y", outShape).build();
        int n = 1;
        for (long d : in) n *= (int) d;
        float[] x = values(n, 1);
        try (OnnxReference r = new OnnxReference(onnx, tmp)) {
            float[] expected = r.onnx(x, in);
            if (outShape.length == 4)
                expected = OnnxToTflite.nchwToNhwc(expected, new int[] {(int) outShape[0], (int) outShape[1], (int) outShape[2], (int) outShape[3]});
            float[] got = r.converted(x, in);
            double diff = OnnxReference.maxAbsDifference(expected, got);
            assertTrue(diff < 1e-4, "max |ONNX Runtime - TFLite| = " + diff);
        }
        return OnnxToTflite.operatorHistogram(OnnxToTflite.convert(onnx));
    }

    private OnnxWriter conv(OnnxWriter w, String in, String out, int inC, int outC, int k, int group, long[] strides, long[] pads) {
        w.constant(out + "_w", longs(outC, inC / group, k, k), values(outC * (inC / group) * k * k, 0.3))
                .constant(out + "_b", longs(outC), values(outC, 0.1));
        return w.node("Conv", new String[] {in, out + "_w", out + "_b"}, new String[] {out},
                "group", (long) group, "kernel_shape", longs(k, k), "strides", strides, "pads", pads);
    }

    @Test
    void convWithSamePaddingBecomesOneConv2d() throws Exception {
        Map<Integer, Integer> ops = check(conv(new OnnxWriter(), "x", "y", 3, 8, 3, 1, longs(1, 1), longs(1, 1, 1, 1)), longs(1, 3, 9, 7), longs(1, 8, 9, 7));
        assertEquals(Map.of(FlatModel.OP_CONV_2D, 1), ops);
    }

    @Test
    void stridedConvWithSymmetricPadsGetsAnExplicitPad() throws Exception {
        // TFLite's SAME would pad only at the end for stride 2 on an even size; ONNX pads both sides
        Map<Integer, Integer> ops = check(conv(new OnnxWriter(), "x", "y", 4, 6, 3, 1, longs(2, 2), longs(1, 1, 1, 1)), longs(1, 4, 10, 10), longs(1, 6, 5, 5));
        assertEquals(Map.of(TfliteGraph.OP_PAD, 1, FlatModel.OP_CONV_2D, 1), ops);
    }

    @Test
    void convWithoutPaddingIsValid() throws Exception {
        check(conv(new OnnxWriter(), "x", "y", 2, 4, 5, 1, longs(1, 1), longs(0, 0, 0, 0)), longs(1, 2, 5, 5), longs(1, 4, 1, 1));
    }

    @Test
    void depthwiseConv() throws Exception {
        Map<Integer, Integer> ops = check(conv(new OnnxWriter(), "x", "y", 6, 6, 3, 6, longs(1, 1), longs(1, 1, 1, 1)), longs(1, 6, 8, 8), longs(1, 6, 8, 8));
        assertEquals(Map.of(FlatModel.OP_DEPTHWISE_CONV_2D, 1), ops);
    }

    @Test
    void depthwiseConvWithMultiplierAndStride() throws Exception {
        check(conv(new OnnxWriter(), "x", "y", 3, 6, 3, 3, longs(2, 2), longs(1, 1, 1, 1)), longs(1, 3, 8, 8), longs(1, 6, 4, 4));
    }

    @Test
    void groupedConv() throws Exception {
        check(conv(new OnnxWriter(), "x", "y", 8, 4, 3, 2, longs(1, 1), longs(1, 1, 1, 1)), longs(1, 8, 6, 6), longs(1, 4, 6, 6));
    }

    @Test
    void batchNormalizationFoldsIntoTheConvAndReluFusesIntoIt() throws Exception {
        OnnxWriter w = conv(new OnnxWriter(), "x", "c", 3, 5, 3, 1, longs(1, 1), longs(1, 1, 1, 1));
        w.constant("g", longs(5), values(5, 1)).constant("be", longs(5), values(5, 1)).constant("m", longs(5), values(5, 1))
                .constant("v", longs(5), new float[] {0.5f, 1, 2, 0.1f, 3})
                .node("BatchNormalization", new String[] {"c", "g", "be", "m", "v"}, new String[] {"bn"}, "epsilon", 1e-3f)
                .node("Relu", new String[] {"bn"}, new String[] {"y"});
        assertEquals(Map.of(FlatModel.OP_CONV_2D, 1), check(w, longs(1, 3, 6, 6), longs(1, 5, 6, 6)));
    }

    @Test
    void batchNormalizationAloneBecomesMulAndAdd() throws Exception {
        OnnxWriter w = new OnnxWriter().constant("g", longs(4), values(4, 1)).constant("be", longs(4), values(4, 1))
                .constant("m", longs(4), values(4, 1)).constant("v", longs(4), new float[] {1, 2, 3, 4})
                .node("BatchNormalization", new String[] {"x", "g", "be", "m", "v"}, new String[] {"y"});
        assertEquals(Map.of(FlatModel.OP_MUL, 1, FlatModel.OP_ADD, 1), check(w, longs(1, 4, 3, 3), longs(1, 4, 3, 3)));
    }

    @Test
    void preluPerChannel() throws Exception {
        OnnxWriter w = new OnnxWriter().constant("a", longs(5, 1, 1), values(5, 0.5))
                .node("PRelu", new String[] {"x", "a"}, new String[] {"y"});
        assertEquals(Map.of(FlatModel.OP_PRELU, 1), check(w, longs(1, 5, 4, 4), longs(1, 5, 4, 4)));
    }

    @Test
    void addOfTwoBranchesWithResidual() throws Exception {
        OnnxWriter w = conv(new OnnxWriter(), "x", "c", 4, 4, 1, 1, longs(1, 1), longs(0, 0, 0, 0))
                .node("Add", new String[] {"c", "x"}, new String[] {"y"});
        check(w, longs(1, 4, 5, 5), longs(1, 4, 5, 5));
    }

    @Test
    void addAndMulWithBroadcastConstants() throws Exception {
        OnnxWriter w = new OnnxWriter().constant("k", longs(3, 1, 1), values(3, 1)).constant("s", longs(1), new float[] {2.5f})
                .node("Mul", new String[] {"x", "k"}, new String[] {"m"})
                .node("Add", new String[] {"s", "m"}, new String[] {"y"});
        check(w, longs(1, 3, 4, 2), longs(1, 3, 4, 2));
    }

    @Test
    void squeezeExciteBlock() throws Exception {
        // GlobalAveragePool -> 1x1 conv -> Relu -> 1x1 conv -> Sigmoid -> Mul with the input, as in MiniFASNetV1SE
        OnnxWriter w = new OnnxWriter().node("GlobalAveragePool", new String[] {"x"}, new String[] {"p"});
        conv(w, "p", "f1", 8, 2, 1, 1, longs(1, 1), longs(0, 0, 0, 0)).node("Relu", new String[] {"f1"}, new String[] {"r"});
        conv(w, "r", "f2", 2, 8, 1, 1, longs(1, 1), longs(0, 0, 0, 0)).node("Sigmoid", new String[] {"f2"}, new String[] {"s"})
                .node("Mul", new String[] {"x", "s"}, new String[] {"y"});
        Map<Integer, Integer> ops = check(w, longs(1, 8, 5, 5), longs(1, 8, 5, 5));
        assertEquals(Map.of(TfliteGraph.OP_MEAN, 1, FlatModel.OP_CONV_2D, 2, TfliteGraph.OP_LOGISTIC, 1, FlatModel.OP_MUL, 1), ops);
    }

    @Test
    void flattenOfASpatialMapKeepsOnnxElementOrderThenMatMulAndBatchNorm() throws Exception {
        OnnxWriter w = new OnnxWriter().node("Flatten", new String[] {"x"}, new String[] {"f"}, "axis", 1L)
                .constant("w", longs(24, 5), values(120, 0.3))
                .node("MatMul", new String[] {"f", "w"}, new String[] {"mm"})
                .constant("g", longs(5), values(5, 1)).constant("be", longs(5), values(5, 1))
                .constant("m", longs(5), values(5, 1)).constant("v", longs(5), new float[] {1, 2, 3, 4, 5})
                .node("BatchNormalization", new String[] {"mm", "g", "be", "m", "v"}, new String[] {"y"});
        Map<Integer, Integer> ops = check(w, longs(1, 2, 3, 4), longs(1, 5));
        assertEquals(Map.of(TfliteGraph.OP_TRANSPOSE, 1, FlatModel.OP_RESHAPE, 1, FlatModel.OP_FULLY_CONNECTED, 1), ops);
    }

    @Test
    void gemmWithTransposedWeightsBiasAndReluThenSoftmax() throws Exception {
        OnnxWriter w = new OnnxWriter().node("Flatten", new String[] {"x"}, new String[] {"f"})
                .constant("w", longs(3, 6), values(18, 0.5)).constant("b", longs(3), values(3, 0.5))
                .node("Gemm", new String[] {"f", "w", "b"}, new String[] {"g"}, "transB", 1L, "alpha", 0.5f, "beta", 2f)
                .node("Relu", new String[] {"g"}, new String[] {"r"})
                .node("Softmax", new String[] {"r"}, new String[] {"y"}, "axis", -1L);
        Map<Integer, Integer> ops = check(w, longs(1, 6, 1, 1), longs(1, 3));
        assertEquals(Map.of(FlatModel.OP_RESHAPE, 1, FlatModel.OP_FULLY_CONNECTED, 1, TfliteGraph.OP_SOFTMAX, 1), ops);
    }

    @Test
    void reshapeToASpatialMap() throws Exception {
        OnnxWriter w = new OnnxWriter().int64Constant("shape", 1, 2, 3, -1)
                .node("Reshape", new String[] {"x", "shape"}, new String[] {"r"})
                .node("Relu", new String[] {"r"}, new String[] {"y"});
        check(w, longs(1, 3, 2, 4), longs(1, 2, 3, 4));
    }

    @Test
    void unsupportedOperatorIsNamed() {
        byte[] onnx = new OnnxWriter().node("LSTM", new String[] {"x"}, new String[] {"y"})
                .input("x", 1, 2).output("y", 1, 2).build();
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxToTflite.convert(onnx));
        assertTrue(e.getMessage().contains("LSTM"), e.getMessage());
    }

    @Test
    void truncatedFileIsAClearError() {
        byte[] onnx = new OnnxWriter().node("Relu", new String[] {"x"}, new String[] {"y"}).input("x", 1, 2).output("y", 1, 2).build();
        byte[] cut = java.util.Arrays.copyOf(onnx, onnx.length - 5);
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxToTflite.convert(cut));
        assertFalse(e.getMessage().isBlank());
    }
}
