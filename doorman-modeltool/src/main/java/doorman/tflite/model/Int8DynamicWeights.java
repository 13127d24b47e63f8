package doorman.tflite.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic-range ("hybrid") quantisation: the weights of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED are stored
 * as INT8 with one symmetric scale per output channel (max |w| / 127, zero point 0); biases and activations stay
 * float32. TFLite's hybrid kernels quantise each layer's input on the fly and run the product in integers.
 */
public final class Int8DynamicWeights {

    private Int8DynamicWeights() {}

    /** The weight tensor's axis that holds the output channels, per layer type. */
    static int channelAxis(int builtinCode) {
        return switch (builtinCode) {
            case FlatModel.OP_CONV_2D, FlatModel.OP_FULLY_CONNECTED -> 0; // [out, kh, kw, in] and [out, in]
            case FlatModel.OP_DEPTHWISE_CONV_2D -> 3;                      // [1, kh, kw, out]
            default -> -1;
        };
    }

    public static byte[] convert(byte[] model) {
        return convert(model, java.util.Set.of(FlatModel.OP_CONV_2D, FlatModel.OP_DEPTHWISE_CONV_2D, FlatModel.OP_FULLY_CONNECTED));
    }

    public static byte[] convert(byte[] model, java.util.Set<Integer> layers) {
        ModelRewriter rewriter = new ModelRewriter(model);
        FlatModel flat = rewriter.model();
        List<FlatModel.Tensor> tensors = flat.tensors();
        Map<Integer, Integer> axisOf = new LinkedHashMap<>();
        for (FlatModel.Operator op : flat.operators()) {
            int axis = channelAxis(op.builtinCode());
            if (axis < 0 || !layers.contains(op.builtinCode()) || op.inputs().length() < 2) continue;
            int weights = op.inputs().get(flat.bytes(), 1);
            FlatModel.Tensor t = tensors.get(weights);
            if (t.type() == FlatModel.TYPE_FLOAT32 && flat.buffer(t.buffer()).length() > 0) axisOf.putIfAbsent(weights, axis);
        }
        if (axisOf.isEmpty()) throw new IllegalArgumentException("model has no float32 layer weights to quantise");
        for (Map.Entry<Integer, Integer> e : axisOf.entrySet()) {
            FlatModel.Tensor t = tensors.get(e.getKey());
            PerChannel q = quantize(t.name(), flat.floats(t), flat.toArray(t.shape()), e.getValue());
            rewriter.retypeTensor(t.index(), FlatModel.TYPE_INT8, rewriter.addBuffer(q.values()), q.quantization());
        }
        return rewriter.write();
    }

    /** Int8 values (one byte each, row-major like the floats) and their per-channel scales. */
    record PerChannel(byte[] values, Quantization quantization) {}

    /** Symmetric per-channel quantisation of {@code values} (shape {@code shape}) along {@code axis}, into [-127, 127]. */
    static PerChannel quantize(String name, float[] values, int[] shape, int axis) {
        if (axis >= shape.length) throw new IllegalArgumentException(name + ": no axis " + axis + " in a rank-" + shape.length + " tensor");
        int channels = shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        float[] maxAbs = new float[channels];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) throw new IllegalArgumentException(name + " holds a non-finite weight");
            int c = (i / inner) % channels;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(v));
        }
        float[] scales = new float[channels];
        // an all-zero channel quantises to zeros whatever the scale; 1 keeps the scale valid
        for (int c = 0; c < channels; c++) scales[c] = maxAbs[c] > 0 ? maxAbs[c] / 127f : 1f;
        byte[] q = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = (i / inner) % channels;
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scales[c])));
        }
        return new PerChannel(q, Quantization.symmetric(scales, axis));
    }
}
