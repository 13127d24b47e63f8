package doorman.tflite.model;

/**
 * Appends our learned head to an encoder graph: L2_NORMALIZATION of the encoder's output (the head was trained on
 * unit-length embeddings), FULLY_CONNECTED (out x in weights, bias) and L2_NORMALIZATION, so one TFLite file maps
 * a face straight to the normalised low-dimensional embedding.
 */
public final class HeadAppender {

    private HeadAppender() {}

    /** {@code weights} are row-major [out][in], as TFLite's FULLY_CONNECTED expects. */
    public static byte[] append(byte[] encoder, float[] weights, float[] bias, String outputName) {
        ModelRewriter rewriter = new ModelRewriter(encoder);
        FlatModel flat = rewriter.model();
        int embedding = flat.outputs().get(flat.bytes(), 0);
        int[] shape = flat.toArray(flat.tensors().get(embedding).shape());
        int in = shape[shape.length - 1];
        int out = bias.length;
        if (weights.length != out * in)
            throw new IllegalArgumentException("head weights are " + weights.length + " values, expected " + out + "x" + in);
        int w = rewriter.addTensor(outputName + "/weights", FlatModel.TYPE_FLOAT32, new int[]{out, in},
                rewriter.addBuffer(ModelRewriter.floatBytes(weights)));
        int b = rewriter.addTensor(outputName + "/bias", FlatModel.TYPE_FLOAT32, new int[]{out},
                rewriter.addBuffer(ModelRewriter.floatBytes(bias)));
        // The head was learned on unit-length embeddings; with a bias, its input's scale matters, so normalise first.
        int unit = rewriter.addTensor(outputName + "/input_normalised", FlatModel.TYPE_FLOAT32, new int[]{shape[0], in},
                rewriter.addBuffer(new byte[0]));
        int projected = rewriter.addTensor(outputName + "/projected", FlatModel.TYPE_FLOAT32, new int[]{shape[0], out},
                rewriter.addBuffer(new byte[0]));
        int normalised = rewriter.addTensor(outputName, FlatModel.TYPE_FLOAT32, new int[]{shape[0], out},
                rewriter.addBuffer(new byte[0]));
        rewriter.appendOperator(FlatModel.OP_L2_NORMALIZATION, new int[]{embedding}, new int[]{unit});
        rewriter.appendOperator(FlatModel.OP_FULLY_CONNECTED, new int[]{unit, w, b}, new int[]{projected});
        rewriter.appendOperator(FlatModel.OP_L2_NORMALIZATION, new int[]{projected}, new int[]{normalised});
        rewriter.setOutputs(normalised);
        return rewriter.write();
    }
}
