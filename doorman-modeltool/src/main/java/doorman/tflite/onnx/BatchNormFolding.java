package doorman.tflite.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds each inference-mode BatchNormalization into the Conv, MatMul or Gemm that feeds it (when that node's only
 * reader is the BatchNormalization and its weights are constant): {@code y = (x - mean) * gamma / sqrt(var + eps)
 * + beta} is a per-output-channel scale and shift, which goes into the weights and the bias. The result is a
 * graph without those BatchNormalization nodes, computing the same function up to float rounding.
 */
final class BatchNormFolding {

    private BatchNormFolding() {}

    static OnnxGraph fold(OnnxGraph g) {
        Map<String, OnnxGraph.Constant> constants = new LinkedHashMap<>(g.constants());
        Map<String, Integer> readers = new HashMap<>();
        for (OnnxGraph.Node n : g.nodes()) for (String in : n.inputs()) readers.merge(in, 1, Integer::sum);
        for (OnnxGraph.Value v : g.outputs()) readers.merge(v.name(), 1, Integer::sum);
        Map<String, Integer> producerIndex = new HashMap<>();
        List<OnnxGraph.Node> nodes = new ArrayList<>(g.nodes());
        for (int i = 0; i < nodes.size(); i++) for (String out : nodes.get(i).outputs()) producerIndex.put(out, i);

        for (int i = 0; i < nodes.size(); i++) {
            OnnxGraph.Node bn = nodes.get(i);
            if (bn == null || !bn.opType().equals("BatchNormalization") || bn.outputs().size() != 1) continue;
            Integer p = producerIndex.get(bn.input(0));
            if (p == null || nodes.get(p) == null || readers.getOrDefault(bn.input(0), 0) != 1) continue;
            OnnxGraph.Node producer = nodes.get(p);
            OnnxGraph.Constant gamma = constants.get(bn.input(1)), beta = constants.get(bn.input(2)),
                    mean = constants.get(bn.input(3)), var = constants.get(bn.input(4));
            if (gamma == null || beta == null || mean == null || var == null || gamma.floats() == null) continue;
            float eps = bn.floatAttribute("epsilon", 1e-5f);
            int channels = gamma.size();
            float[] scale = new float[channels];
            float[] shift = new float[channels];
            for (int c = 0; c < channels; c++) {
                scale[c] = (float) (gamma.floats()[c] / Math.sqrt(var.floats()[c] + (double) eps));
                shift[c] = beta.floats()[c] - mean.floats()[c] * scale[c];
            }
            OnnxGraph.Node folded = switch (producer.opType()) {
                case "Conv" -> foldConv(producer, bn, scale, shift, constants);
                case "MatMul", "Gemm" -> foldDense(producer, bn, scale, shift, constants);
                default -> null;
            };
            if (folded == null) continue;
            nodes.set(p, folded);
            nodes.set(i, null);
        }
        nodes.removeIf(java.util.Objects::isNull);
        return new OnnxGraph(List.copyOf(nodes), constants, g.inputs(), g.outputs(), g.opset());
    }

    private static OnnxGraph.Node foldConv(OnnxGraph.Node conv, OnnxGraph.Node bn, float[] scale, float[] shift,
                                           Map<String, OnnxGraph.Constant> constants) {
        OnnxGraph.Constant w = constants.get(conv.input(1));
        if (w == null || w.floats() == null || w.dims()[0] != scale.length) return null;
        OnnxGraph.Constant b = conv.input(2).isEmpty() ? null : constants.get(conv.input(2));
        if (!conv.input(2).isEmpty() && b == null) return null;
        int perChannel = w.size() / scale.length;
        float[] weights = w.floats().clone();
        for (int o = 0; o < scale.length; o++) for (int k = 0; k < perChannel; k++) weights[o * perChannel + k] *= scale[o];
        float[] bias = new float[scale.length];
        for (int o = 0; o < scale.length; o++) bias[o] = (b == null ? 0 : b.floats()[o]) * scale[o] + shift[o];
        String wName = conv.input(1) + "/bn_folded", bName = bn.outputs().get(0) + "/bias";
        constants.put(wName, new OnnxGraph.Constant(wName, w.dims(), weights, null));
        constants.put(bName, new OnnxGraph.Constant(bName, new long[] {scale.length}, bias, null));
        return new OnnxGraph.Node("Conv", conv.name(), List.of(conv.input(0), wName, bName), bn.outputs(), conv.attributes());
    }

    /** MatMul or Gemm as a Gemm with B in [K, N] layout (its weights times the scale per output column). */
    private static OnnxGraph.Node foldDense(OnnxGraph.Node dense, OnnxGraph.Node bn, float[] scale, float[] shift,
                                            Map<String, OnnxGraph.Constant> constants) {
        boolean gemm = dense.opType().equals("Gemm");
        if (gemm && dense.intAttribute("transA", 0) != 0) return null;
        OnnxGraph.Constant w = constants.get(dense.input(1));
        if (w == null || w.floats() == null || w.dims().length != 2) return null;
        boolean transB = gemm && dense.intAttribute("transB", 0) != 0;
        int k = (int) (transB ? w.dims()[1] : w.dims()[0]);
        int n = (int) (transB ? w.dims()[0] : w.dims()[1]);
        if (n != scale.length) return null;
        float alpha = gemm ? dense.floatAttribute("alpha", 1f) : 1f;
        float beta = gemm ? dense.floatAttribute("beta", 1f) : 1f;
        OnnxGraph.Constant c = gemm && !dense.input(2).isEmpty() ? constants.get(dense.input(2)) : null;
        if (gemm && !dense.input(2).isEmpty() && (c == null || (c.size() != n && c.size() != 1))) return null;
        float[] weights = new float[k * n];
        for (int row = 0; row < k; row++)
            for (int col = 0; col < n; col++)
                weights[row * n + col] = alpha * scale[col] * (transB ? w.floats()[col * k + row] : w.floats()[row * n + col]);
        float[] bias = new float[n];
        for (int col = 0; col < n; col++) {
            float cv = c == null ? 0 : c.floats()[c.size() == 1 ? 0 : col];
            bias[col] = beta * cv * scale[col] + shift[col];
        }
        String wName = dense.input(1) + "/bn_folded", bName = bn.outputs().get(0) + "/bias";
        constants.put(wName, new OnnxGraph.Constant(wName, new long[] {k, n}, weights, null));
        constants.put(bName, new OnnxGraph.Constant(bName, new long[] {n}, bias, null));
        return new OnnxGraph.Node("Gemm", dense.name(), List.of(dense.input(0), wName, bName), bn.outputs(), Map.of());
    }
}
