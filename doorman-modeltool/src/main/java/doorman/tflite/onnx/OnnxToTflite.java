package doorman.tflite.onnx;

import doorman.tflite.model.FlatModel;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Converts a float32 ONNX CNN to a TFLite flatbuffer of builtin operators. ONNX computes in NCHW, TFLite in NHWC:
 * every rank-4 value is kept NHWC in the TFLite graph (weights transposed once here), so no TRANSPOSE runs
 * per frame except where a Flatten or Reshape of a spatial map needs NCHW element order. The model's input
 * becomes [N, H, W, C].
 * <p>
 * Supported: Conv (plain, depthwise, grouped; explicit pads become SAME when they equal TFLite's, else a PAD),
 * PRelu, Add, Mul (with NCHW broadcasting), BatchNormalization (folded into the Conv/MatMul/Gemm before it, else a
 * MUL and an ADD), Gemm, MatMul with a constant right side, Flatten, Reshape, GlobalAveragePool, Relu (fused into
 * the Conv, Gemm, Add or Mul before it when it is that node's only reader), Sigmoid and Softmax. Everything maps
 * to operators XNNPACK delegates, so the whole graph runs as one delegate partition.
 */
public final class OnnxToTflite {

    private final OnnxGraph graph;
    private final TfliteGraph out = new TfliteGraph();
    /** ONNX value name -> TFLite tensor and its ONNX (NCHW) shape. */
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Integer> readers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<OnnxGraph.Node> fusedAway = new HashSet<>();
    /** Node -> the Relu its TFLite operator applies as a fused activation. */
    private final Map<OnnxGraph.Node, OnnxGraph.Node> fusedRelus = new HashMap<>();

    private record Value(int tensor, int[] shape) {
        int rank() {
            return shape.length;
        }
    }

    private OnnxToTflite(OnnxGraph graph) {
        this.graph = graph;
    }

    /** The TFLite file for an ONNX file; throws {@link OnnxException} naming the first thing it cannot convert. */
    public static byte[] convert(byte[] onnx) {
        return convert(OnnxGraph.parse(onnx));
    }

    public static byte[] convert(OnnxGraph parsed) {
        OnnxToTflite c = new OnnxToTflite(BatchNormFolding.fold(parsed));
        c.run();
        return c.out.write("doorman onnx->tflite");
    }

    private void run() {
        for (OnnxGraph.Node n : graph.nodes()) for (String in : n.inputs()) readers.merge(in, 1, Integer::sum);
        for (OnnxGraph.Value v : graph.outputs()) graphOutputs.add(v.name());
        if (graph.inputs().size() != 1) throw new OnnxException("expected one graph input, found " + graph.inputs().size());
        OnnxGraph.Value input = graph.inputs().get(0);
        int[] shape = Arrays.stream(input.dims()).mapToInt(d -> d < 0 ? 1 : Math.toIntExact(d)).toArray();
        int tensor = out.activation(input.name(), toTflite(shape));
        values.put(input.name(), new Value(tensor, shape));
        out.setInputs(tensor);
        for (OnnxGraph.Node n : graph.nodes()) {
            if (fusedAway.contains(n)) continue;
            try {
                convert(n);
            } catch (OnnxException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new OnnxException(n.opType() + " node '" + n.name() + "': " + e.getMessage());
            }
        }
        int[] outputs = new int[graph.outputs().size()];
        for (int i = 0; i < outputs.length; i++) outputs[i] = value(graph.outputs().get(i).name()).tensor();
        out.setOutputs(outputs);
    }

    private void convert(OnnxGraph.Node n) {
        switch (n.opType()) {
            case "Conv" -> conv(n);
            case "PRelu" -> prelu(n);
            case "Add" -> binary(n, FlatModel.OP_ADD, TfliteGraph.OPTIONS_ADD);
            case "Mul" -> binary(n, FlatModel.OP_MUL, TfliteGraph.OPTIONS_MUL);
            case "BatchNormalization" -> batchNorm(n);
            case "Gemm", "MatMul" -> dense(n);
            case "Flatten" -> flatten(n);
            case "Reshape" -> reshape(n);
            case "GlobalAveragePool" -> globalAveragePool(n);
            case "Relu" -> unary(n, FlatModel.OP_RELU);
            case "Sigmoid" -> unary(n, TfliteGraph.OP_LOGISTIC);
            case "Softmax" -> softmax(n);
            default -> throw new OnnxException("ONNX operator " + n.opType() + " (node '" + n.name() + "') is not supported");
        }
    }

    // --- operators

    private void conv(OnnxGraph.Node n) {
        Value x = value(n.input(0));
        OnnxGraph.Constant w = constant(n, 1);
        if (x.rank() != 4 || w.dims().length != 4) throw new OnnxException("only 2-D convolutions are supported (node '" + n.name() + "')");
        long[] dilations = n.intsAttribute("dilations", new long[] {1, 1});
        if (dilations[0] != 1 || dilations[1] != 1) throw new OnnxException("dilated convolutions are not supported (node '" + n.name() + "')");
        int group = (int) n.intAttribute("group", 1);
        int[] ws = w.shape();
        int outC = ws[0], inPerGroup = ws[1], kh = ws[2], kw = ws[3];
        int inC = x.shape()[1], h = x.shape()[2], wd = x.shape()[3];
        if (inPerGroup * group != inC || outC % group != 0)
            throw new OnnxException("weights " + Arrays.toString(ws) + " do not fit " + inC + " input channels in " + group + " groups");
        long[] strides = n.intsAttribute("strides", new long[] {1, 1});
        int sh = (int) strides[0], sw = (int) strides[1];
        int[] pads = padsOf(n, h, wd, kh, kw, sh, sw);
        int outH = (h + pads[0] + pads[2] - kh) / sh + 1, outW = (wd + pads[1] + pads[3] - kw) / sw + 1;
        float[] bias = n.input(2).isEmpty() ? new float[outC] : constant(n, 2).floats().clone();
        String name = n.outputs().get(0);

        int padding;
        int input = x.tensor();
        if (Arrays.stream(pads).allMatch(p -> p == 0)) padding = TfliteGraph.PADDING_VALID;
        else if (isSame(h, kh, sh, pads[0], pads[2]) && isSame(wd, kw, sw, pads[1], pads[3])) padding = TfliteGraph.PADDING_SAME;
        else {
            int[] padded = {x.shape()[0], h + pads[0] + pads[2], wd + pads[1] + pads[3], inC};
            int paddings = out.int32Constant(name + "/paddings", new int[] {4, 2}, new int[] {0, 0, pads[0], pads[2], pads[1], pads[3], 0, 0});
            input = out.activation(name + "/padded", padded);
            out.operator(TfliteGraph.OP_PAD, new int[] {x.tensor(), paddings}, new int[] {input}, TfliteGraph.OPTIONS_PAD, TfliteGraph.empty());
            padding = TfliteGraph.PADDING_VALID;
        }
        int[] onnxOut = {x.shape()[0], outC, outH, outW};
        OnnxGraph.Node relu = fusableRelu(n);
        int activation = relu == null ? TfliteGraph.ACTIVATION_NONE : TfliteGraph.ACTIVATION_RELU;
        String outName = relu == null ? name : relu.outputs().get(0);
        int result = out.activation(outName, toTflite(onnxOut));
        int biasTensor = out.constant(name + "/bias", new int[] {outC}, bias);
        float[] wv = w.floats();
        if (group > 1 && group == inC) {
            // depthwise: TFLite wants [1, kh, kw, inC * multiplier]; ONNX output channel o reads input channel o / multiplier
            float[] dw = new float[kh * kw * outC];
            for (int o = 0; o < outC; o++)
                for (int y = 0; y < kh; y++)
                    for (int xx = 0; xx < kw; xx++) dw[(y * kw + xx) * outC + o] = wv[(o * kh + y) * kw + xx];
            int filter = out.constant(name + "/weights", new int[] {1, kh, kw, outC}, dw);
            out.operator(FlatModel.OP_DEPTHWISE_CONV_2D, new int[] {input, filter, biasTensor}, new int[] {result},
                    TfliteGraph.OPTIONS_DEPTHWISE, TfliteGraph.depthwise(padding, sw, sh, outC / inC, activation));
        } else {
            // plain and grouped: [outC, kh, kw, inC / group]; TFLite infers the groups from the filter's depth
            float[] ohwi = new float[outC * kh * kw * inPerGroup];
            for (int o = 0; o < outC; o++)
                for (int i = 0; i < inPerGroup; i++)
                    for (int y = 0; y < kh; y++)
                        for (int xx = 0; xx < kw; xx++)
                            ohwi[((o * kh + y) * kw + xx) * inPerGroup + i] = wv[((o * inPerGroup + i) * kh + y) * kw + xx];
            int filter = out.constant(name + "/weights", new int[] {outC, kh, kw, inPerGroup}, ohwi);
            out.operator(FlatModel.OP_CONV_2D, new int[] {input, filter, biasTensor}, new int[] {result},
                    TfliteGraph.OPTIONS_CONV2D, TfliteGraph.conv2d(padding, sw, sh, activation));
        }
        values.put(outName, new Value(result, onnxOut));
    }

    /** ONNX pads as [top, left, bottom, right], from the attribute or auto_pad. */
    private static int[] padsOf(OnnxGraph.Node n, int h, int w, int kh, int kw, int sh, int sw) {
        String auto = n.stringAttribute("auto_pad", "NOTSET");
        switch (auto) {
            case "NOTSET", "" -> {
                long[] p = n.intsAttribute("pads", new long[] {0, 0, 0, 0});
                if (p.length != 4) throw new OnnxException("pads must have 4 values for a 2-D convolution (node '" + n.name() + "')");
                return new int[] {(int) p[0], (int) p[1], (int) p[2], (int) p[3]};
            }
            case "VALID" -> {
                return new int[4];
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int th = samePadTotal(h, kh, sh), tw = samePadTotal(w, kw, sw);
                boolean upper = auto.equals("SAME_UPPER");
                int top = upper ? th / 2 : th - th / 2, left = upper ? tw / 2 : tw - tw / 2;
                return new int[] {top, left, th - top, tw - left};
            }
            default -> throw new OnnxException("auto_pad " + auto + " is not supported (node '" + n.name() + "')");
        }
    }

    private static int samePadTotal(int size, int k, int s) {
        int outSize = (size + s - 1) / s;
        return Math.max((outSize - 1) * s + k - size, 0);
    }

    /** True when these pads are what TFLite's SAME padding would use (the extra pixel, if any, at the end). */
    private static boolean isSame(int size, int k, int s, int before, int after) {
        int total = samePadTotal(size, k, s);
        return before == total / 2 && after == total - total / 2;
    }

    private void prelu(OnnxGraph.Node n) {
        Value x = value(n.input(0));
        OnnxGraph.Constant slope = constant(n, 1);
        int channels = x.rank() >= 2 ? x.shape()[1] : x.shape()[0];
        float[] alpha = slope.floats();
        if (alpha.length == 1) {
            alpha = new float[channels];
            Arrays.fill(alpha, slope.floats()[0]);
        }
        if (alpha.length != channels) throw new OnnxException("PRelu slope of " + alpha.length + " values for " + channels + " channels (node '" + n.name() + "')");
        if (x.rank() != 4 && x.rank() != 2) throw new OnnxException("PRelu on a rank-" + x.rank() + " value is not supported");
        int[] alphaShape = x.rank() == 4 ? new int[] {1, 1, channels} : new int[] {channels};
        int a = out.constant(n.outputs().get(0) + "/alpha", alphaShape, alpha);
        emit(n, FlatModel.OP_PRELU, new int[] {x.tensor(), a}, x.shape(), 0, null);
    }

    private void binary(OnnxGraph.Node n, int builtin, int optionsType) {
        boolean aConst = graph.constants().containsKey(n.input(0)), bConst = graph.constants().containsKey(n.input(1));
        if (aConst && bConst) throw new OnnxException(n.opType() + " of two constants should be folded before conversion (node '" + n.name() + "')");
        Value a = aConst ? null : value(n.input(0));
        Value b = bConst ? null : value(n.input(1));
        int rank = Math.max(a == null ? constant(n, 0).dims().length : a.rank(), b == null ? constant(n, 1).dims().length : b.rank());
        int[] sa = a != null ? expand(a.shape(), rank) : expand(constant(n, 0).shape(), rank);
        int[] sb = b != null ? expand(b.shape(), rank) : expand(constant(n, 1).shape(), rank);
        if ((a != null && a.rank() != rank) || (b != null && b.rank() != rank))
            throw new OnnxException(n.opType() + " of values of different rank is not supported (node '" + n.name() + "')");
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (sa[i] != sb[i] && sa[i] != 1 && sb[i] != 1)
                throw new OnnxException(n.opType() + " shapes " + Arrays.toString(sa) + " and " + Arrays.toString(sb) + " do not broadcast");
            shape[i] = Math.max(sa[i], sb[i]);
        }
        int ta = a != null ? a.tensor() : constantOperand(n, 0, rank);
        int tb = b != null ? b.tensor() : constantOperand(n, 1, rank);
        OnnxGraph.Node relu = fusableRelu(n);
        emit(n, builtin, new int[] {ta, tb}, shape, optionsType,
                TfliteGraph.activationOnly(relu == null ? TfliteGraph.ACTIVATION_NONE : TfliteGraph.ACTIVATION_RELU));
    }

    /** A constant operand of an elementwise op, brought to the other side's rank and to NHWC order when rank 4. */
    private int constantOperand(OnnxGraph.Node n, int index, int rank) {
        OnnxGraph.Constant c = constant(n, index);
        int[] shape = expand(c.shape(), rank);
        float[] data = c.floats();
        if (rank == 4) {
            data = nchwToNhwc(data, shape);
            shape = toTflite(shape);
        }
        return out.constant(n.input(index) + "/nhwc", shape, data);
    }

    private void batchNorm(OnnxGraph.Node n) {
        Value x = value(n.input(0));
        float[] gamma = constant(n, 1).floats(), beta = constant(n, 2).floats(), mean = constant(n, 3).floats(), var = constant(n, 4).floats();
        float eps = n.floatAttribute("epsilon", 1e-5f);
        int c = gamma.length;
        float[] scale = new float[c], shift = new float[c];
        for (int i = 0; i < c; i++) {
            scale[i] = (float) (gamma[i] / Math.sqrt(var[i] + (double) eps));
            shift[i] = beta[i] - mean[i] * scale[i];
        }
        // channels are the last TFLite axis for rank 2 and (NHWC) rank 4 alike
        String name = n.outputs().get(0);
        int scaled = out.activation(name + "/scaled", toTflite(x.shape()));
        out.operator(FlatModel.OP_MUL, new int[] {x.tensor(), out.constant(name + "/scale", new int[] {c}, scale)}, new int[] {scaled},
                TfliteGraph.OPTIONS_MUL, TfliteGraph.activationOnly(TfliteGraph.ACTIVATION_NONE));
        OnnxGraph.Node relu = fusableRelu(n);
        int result = out.activation(relu == null ? name : relu.outputs().get(0), toTflite(x.shape()));
        out.operator(FlatModel.OP_ADD, new int[] {scaled, out.constant(name + "/shift", new int[] {c}, shift)}, new int[] {result},
                TfliteGraph.OPTIONS_ADD, TfliteGraph.activationOnly(relu == null ? TfliteGraph.ACTIVATION_NONE : TfliteGraph.ACTIVATION_RELU));
        values.put(relu == null ? name : relu.outputs().get(0), new Value(result, x.shape()));
    }

    private void dense(OnnxGraph.Node n) {
        Value x = value(n.input(0));
        if (x.rank() != 2) throw new OnnxException(n.opType() + " on a rank-" + x.rank() + " value is not supported (node '" + n.name() + "'); flatten first");
        boolean gemm = n.opType().equals("Gemm");
        if (gemm && n.intAttribute("transA", 0) != 0) throw new OnnxException("Gemm with transA is not supported (node '" + n.name() + "')");
        OnnxGraph.Constant w = constant(n, 1);
        if (w.dims().length != 2) throw new OnnxException(n.opType() + " needs a 2-D constant right side (node '" + n.name() + "')");
        boolean transB = gemm && n.intAttribute("transB", 0) != 0;
        int k = (int) (transB ? w.dims()[1] : w.dims()[0]);
        int units = (int) (transB ? w.dims()[0] : w.dims()[1]);
        if (k != x.shape()[1]) throw new OnnxException(n.opType() + ": " + x.shape()[1] + " features into weights of " + k);
        float alpha = gemm ? n.floatAttribute("alpha", 1f) : 1f, beta = gemm ? n.floatAttribute("beta", 1f) : 1f;
        float[] weights = new float[units * k];
        for (int u = 0; u < units; u++)
            for (int i = 0; i < k; i++) weights[u * k + i] = alpha * (transB ? w.floats()[u * k + i] : w.floats()[i * units + u]);
        float[] bias = new float[units];
        if (gemm && !n.input(2).isEmpty()) {
            OnnxGraph.Constant c = constant(n, 2);
            if (c.size() != units && c.size() != 1) throw new OnnxException("Gemm bias of " + c.size() + " values for " + units + " units");
            for (int u = 0; u < units; u++) bias[u] = beta * c.floats()[c.size() == 1 ? 0 : u];
        }
        String name = n.outputs().get(0);
        int wt = out.constant(name + "/weights", new int[] {units, k}, weights);
        int bt = out.constant(name + "/bias", new int[] {units}, bias);
        OnnxGraph.Node relu = fusableRelu(n);
        emit(n, FlatModel.OP_FULLY_CONNECTED, new int[] {x.tensor(), wt, bt}, new int[] {x.shape()[0], units},
                TfliteGraph.OPTIONS_FULLY_CONNECTED,
                TfliteGraph.fullyConnected(relu == null ? TfliteGraph.ACTIVATION_NONE : TfliteGraph.ACTIVATION_RELU));
    }

    private void flatten(OnnxGraph.Node n) {
        Value x = value(n.input(0));
        int axis = (int) n.intAttribute("axis", 1);
        if (axis < 0) axis += x.rank();
        int outer = 1, inner = 1;
        for (int i = 0; i < x.rank(); i++) {
            if (i < axis) outer *= x.shape()[i];
            else inner *= x.shape()[i];
        }
        reshapeTo(n, x, new int[] {outer, inner});
    }

    private void reshape(OnnxGraph.Node n) {
        Value x = value(n.input(0));
        OnnxGraph.Constant target = constant(n, 1);
        if (target.longs() == null) throw new OnnxException("Reshape needs a constant int64 shape (node '" + n.name() + "')");
        int[] shape = new int[target.longs().length];
        int known = 1, unknown = -1;
        for (int i = 0; i < shape.length; i++) {
            long d = target.longs()[i];
            shape[i] = d == 0 ? x.shape()[i] : (int) d;
            if (d == -1) unknown = i;
            else known *= shape[i];
        }
        if (unknown >= 0) shape[unknown] = TfliteGraph.product(x.shape()) / known;
        if (TfliteGraph.product(shape) != TfliteGraph.product(x.shape()))
            throw new OnnxException("Reshape from " + Arrays.toString(x.shape()) + " to " + Arrays.toString(shape));
        reshapeTo(n, x, shape);
    }

    /**
     * A reshape in ONNX's element order: a rank-4 input with a spatial extent is brought back to NCHW order first,
     * and a rank-4 result is brought to NHWC after.
     */
    private void reshapeTo(OnnxGraph.Node n, Value x, int[] onnxShape) {
        String name = n.outputs().get(0);
        int input = x.tensor();
        if (x.rank() == 4 && !spatiallyTrivial(x.shape())) {
            input = out.activation(name + "/nchw", x.shape());
            out.operator(TfliteGraph.OP_TRANSPOSE, new int[] {x.tensor(), out.int32Constant(name + "/to_nchw", new int[] {0, 3, 1, 2})},
                    new int[] {input}, TfliteGraph.OPTIONS_TRANSPOSE, TfliteGraph.empty());
        }
        boolean toNhwc = onnxShape.length == 4 && !spatiallyTrivial(onnxShape);
        int[] reshaped = onnxShape.length == 4 && !toNhwc ? toTflite(onnxShape) : onnxShape;
        int result = out.activation(toNhwc ? name + "/nchw_result" : name, reshaped);
        out.operator(FlatModel.OP_RESHAPE, new int[] {input, out.int32Constant(name + "/shape", reshaped)}, new int[] {result},
                TfliteGraph.OPTIONS_RESHAPE, TfliteGraph.reshape(reshaped));
        if (toNhwc) {
            int nhwc = out.activation(name, toTflite(onnxShape));
            out.operator(TfliteGraph.OP_TRANSPOSE, new int[] {result, out.int32Constant(name + "/to_nhwc", new int[] {0, 2, 3, 1})},
                    new int[] {nhwc}, TfliteGraph.OPTIONS_TRANSPOSE, TfliteGraph.empty());
            result = nhwc;
        }
        values.put(name, new Value(result, onnxShape));
    }

    /** H = W = 1: NHWC and NCHW hold the elements in the same order. */
    private static boolean spatiallyTrivial(int[] nchw) {
        return nchw[2] == 1 && nchw[3] == 1;
    }

    private void globalAveragePool(OnnxGraph.Node n) {
        Value x = value(n.input(0));
        if (x.rank() != 4) throw new OnnxException("GlobalAveragePool on a rank-" + x.rank() + " value is not supported");
        int axes = out.int32Constant(n.outputs().get(0) + "/axes", new int[] {1, 2});
        emit(n, TfliteGraph.OP_MEAN, new int[] {x.tensor(), axes}, new int[] {x.shape()[0], x.shape()[1], 1, 1},
                TfliteGraph.OPTIONS_REDUCER, TfliteGraph.reducer(true));
    }

    private void unary(OnnxGraph.Node n, int builtin) {
        Value x = value(n.input(0));
        emit(n, builtin, new int[] {x.tensor()}, x.shape(), 0, null);
    }

    private void softmax(OnnxGraph.Node n) {
        Value x = value(n.input(0));
        int axis = (int) n.intAttribute("axis", graph.opset() >= 13 ? -1 : 1);
        if (axis < 0) axis += x.rank();
        // channels are TFLite's last axis; before opset 13 Softmax also flattened everything after the axis
        boolean overChannels = x.rank() == 4 ? axis == 1 && (graph.opset() >= 13 || spatiallyTrivial(x.shape())) : axis == x.rank() - 1;
        if (!overChannels)
            throw new OnnxException("Softmax over axis " + axis + " of a rank-" + x.rank() + " value is not supported; only over channels");
        emit(n, TfliteGraph.OP_SOFTMAX, new int[] {x.tensor()}, x.shape(), TfliteGraph.OPTIONS_SOFTMAX, TfliteGraph.softmax(1f));
    }

    // --- helpers

    /** Emits one operator producing node {@code n}'s single output (or the fused Relu's) with the given ONNX shape. */
    private void emit(OnnxGraph.Node n, int builtin, int[] inputs, int[] onnxShape, int optionsType,
                      java.util.function.ToIntFunction<com.google.flatbuffers.FlatBufferBuilder> options) {
        // only nodes that asked fusableRelu (and built their options with the activation) have a fused Relu
        OnnxGraph.Node relu = fusedRelus.get(n);
        String name = relu == null ? n.outputs().get(0) : relu.outputs().get(0);
        int result = out.activation(name, toTflite(onnxShape));
        out.operator(builtin, inputs, new int[] {result}, optionsType, options);
        values.put(name, new Value(result, onnxShape));
    }

    /** The Relu reading only {@code n}'s output, which the operator for {@code n} then applies itself. */
    private OnnxGraph.Node fusableRelu(OnnxGraph.Node n) {
        String output = n.outputs().get(0);
        if (readers.getOrDefault(output, 0) != 1 || graphOutputs.contains(output)) return null;
        for (OnnxGraph.Node m : graph.nodes()) {
            if (m.opType().equals("Relu") && m.input(0).equals(output)) {
                fusedAway.add(m);
                fusedRelus.put(n, m);
                return m;
            }
        }
        return null;
    }

    private Value value(String name) {
        Value v = values.get(name);
        if (v == null) {
            if (graph.constants().containsKey(name)) throw new OnnxException("constant " + name + " used where an activation was expected");
            throw new OnnxException("value " + name + " is used before any node makes it");
        }
        return v;
    }

    private OnnxGraph.Constant constant(OnnxGraph.Node n, int index) {
        OnnxGraph.Constant c = graph.constants().get(n.input(index));
        if (c == null || c.floats() == null && c.longs() == null)
            throw new OnnxException(n.opType() + " node '" + n.name() + "': input " + index + " (" + n.input(index) + ") must be a constant");
        return c;
    }

    static int[] expand(int[] shape, int rank) {
        if (shape.length > rank) throw new OnnxException("shape " + Arrays.toString(shape) + " has more than " + rank + " dimensions");
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
        return out;
    }

    /** NCHW -> NHWC for rank-4 shapes; other ranks unchanged. */
    static int[] toTflite(int[] nchw) {
        return nchw.length == 4 ? new int[] {nchw[0], nchw[2], nchw[3], nchw[1]} : nchw.clone();
    }

    public static float[] nchwToNhwc(float[] data, int[] nchw) {
        int n = nchw[0], c = nchw[1], h = nchw[2], w = nchw[3];
        float[] out = new float[data.length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        out[((b * h + y) * w + x) * c + ch] = data[((b * c + ch) * h + y) * w + x];
        return out;
    }

    /** Operator counts by builtin code, for reports and tests. */
    public static Map<Integer, Integer> operatorHistogram(byte[] tflite) {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        for (FlatModel.Operator op : new FlatModel(java.nio.ByteBuffer.wrap(tflite)).operators())
            counts.merge(op.builtinCode(), 1, Integer::sum);
        return counts;
    }
}
