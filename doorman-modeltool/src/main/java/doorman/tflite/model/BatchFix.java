package doorman.tflite.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Rewrites a model exported with a fixed batch (MobileFaceNet ships with batch 2 and a RESHAPE to [2,192])
 * into the same graph with batch 1, in place: every activation's leading dimension and the RESHAPE target
 * shapes. Weights are untouched, so outputs per face are identical to the original's.
 */
public final class BatchFix {

    private BatchFix() {}

    /** Returns a patched copy of {@code model}; throws if the model's input does not have batch {@code from}. */
    public static byte[] toBatchOne(byte[] model, int from) {
        byte[] copy = model.clone();
        FlatModel flat = new FlatModel(ByteBuffer.wrap(copy));
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        int input = flat.inputs().get(flat.bytes(), 0);
        FlatModel.Tensor in = flat.tensors().get(input);
        if (in.shape() == null || in.shape().get(b, 0) != from)
            throw new IllegalArgumentException("model input " + in.name() + " does not have batch " + from);
        int patched = 0;
        for (FlatModel.Tensor t : flat.tensors()) {
            boolean activation = flat.buffer(t.buffer()).length() == 0;
            if (!activation) continue;
            patched += patchLeading(b, t.shape(), from);
            patched += patchLeading(b, t.shapeSignature(), from);
        }
        for (FlatModel.Operator op : flat.operators()) {
            if (op.builtinCode() != FlatModel.OP_RESHAPE || op.inputs().length() < 2) continue;
            FlatModel.Tensor shape = flat.tensors().get(op.inputs().get(b, 1));
            FlatModel.Buffer data = flat.buffer(shape.buffer());
            if (shape.type() == FlatModel.TYPE_INT32 && data.length() >= 4 && b.getInt(data.position()) == from) {
                b.putInt(data.position(), 1);
                patched++;
            }
        }
        if (patched == 0) throw new IllegalStateException("nothing to patch");
        return copy;
    }

    private static int patchLeading(ByteBuffer b, FlatModel.IntVector shape, int from) {
        if (shape == null || shape.length() == 0 || shape.get(b, 0) != from) return 0;
        b.putInt(shape.position(), 1);
        return 1;
    }
}
