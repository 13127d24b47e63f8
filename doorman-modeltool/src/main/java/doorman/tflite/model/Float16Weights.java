package doorman.tflite.model;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stores a float model's convolution, fully-connected and PReLU weights and biases as IEEE half floats, in the
 * form TFLite's own float16 conversion uses: each weight becomes a FLOAT16 constant, and a DEQUANTIZE operator
 * at the start of the graph turns it back into the float tensor the layer reads (now an activation). XNNPACK
 * recognises the pattern and folds the weights back to float32 when it loads the model, so arithmetic stays
 * float32 and only the file halves; other kernels run the DEQUANTIZE ops once per inference.
 */
public final class Float16Weights {

    private static final Set<Integer> LAYERS = Set.of(FlatModel.OP_CONV_2D, FlatModel.OP_DEPTHWISE_CONV_2D,
            FlatModel.OP_FULLY_CONNECTED, FlatModel.OP_PRELU);

    private Float16Weights() {}

    public static byte[] convert(byte[] model) {
        ModelRewriter rewriter = new ModelRewriter(model);
        FlatModel flat = rewriter.model();
        List<FlatModel.Tensor> tensors = flat.tensors();
        Set<Integer> weights = weightTensors(flat);
        if (weights.isEmpty()) throw new IllegalArgumentException("model has no float32 layer weights to convert");
        for (int index : weights) {
            FlatModel.Tensor t = tensors.get(index);
            float[] values = flat.floats(t);
            for (float v : values)
                if (Math.abs(v) > Half.MAX_VALUE && Float.isFinite(v))
                    throw new IllegalArgumentException("weight " + t.name() + " holds " + v + ", beyond float16's range");
            int half = rewriter.addTensor(t.name() + "/fp16", FlatModel.TYPE_FLOAT16, flat.toArray(t.shape()),
                    rewriter.addBuffer(Half.bytes(values)));
            rewriter.retypeTensor(index, FlatModel.TYPE_FLOAT32, rewriter.addBuffer(new byte[0]));
            rewriter.prependOperator(FlatModel.OP_DEQUANTIZE, new int[]{half}, new int[]{index});
        }
        return rewriter.write();
    }

    /** Constant FLOAT32 inputs after the first of the layers that carry weights, in tensor order. */
    static Set<Integer> weightTensors(FlatModel flat) {
        List<FlatModel.Tensor> tensors = flat.tensors();
        Set<Integer> out = new TreeSet<>();
        for (FlatModel.Operator op : flat.operators()) {
            if (!LAYERS.contains(op.builtinCode())) continue;
            int[] inputs = flat.toArray(op.inputs());
            for (int i = 1; i < inputs.length; i++) {
                if (inputs[i] < 0) continue; // optional bias left out
                FlatModel.Tensor t = tensors.get(inputs[i]);
                if (t.type() == FlatModel.TYPE_FLOAT32 && flat.buffer(t.buffer()).length() > 0) out.add(inputs[i]);
            }
        }
        return out;
    }
}
