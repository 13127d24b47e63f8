package doorman.tflite.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MobileFaceNet's TensorFlow export spells each PReLU out as {@code relu(x) + a * (x - |x|)}: five elementwise
 * operators (RELU, ABS, SUB, MUL, ADD) and four intermediate tensors. For x < 0 that is {@code 2a * x}, so one PRELU
 * operator with slope {@code 2a} computes the same thing in one pass over the activations.
 */
public final class PreluFusion {

    private PreluFusion() {}

    /** The model with every spelled-out PReLU fused; throws when there is none. */
    public static byte[] fuse(byte[] model) {
        ModelRewriter rewriter = new ModelRewriter(model);
        FlatModel flat = rewriter.model();
        Graph g = new Graph(flat);
        int fused = 0;
        for (int add = 0; add < g.ops.size(); add++) {
            Match m = match(g, add);
            if (m == null) continue;
            FlatModel.Tensor alpha = flat.tensors().get(m.alpha());
            float[] slopes = flat.floats(alpha);
            for (int i = 0; i < slopes.length; i++) slopes[i] *= 2;
            int slope = g.consumers(m.alpha()) == 1
                    ? retype(rewriter, m.alpha(), slopes)
                    : rewriter.addTensor(alpha.name() + "/prelu_slope", FlatModel.TYPE_FLOAT32, flat.toArray(alpha.shape()),
                    rewriter.addBuffer(ModelRewriter.floatBytes(slopes)));
            for (int op : m.removed()) rewriter.removeOperator(op);
            rewriter.replaceOperator(add, FlatModel.OP_PRELU, new int[]{m.x(), slope}, new int[]{m.output()});
            fused++;
        }
        if (fused == 0) throw new IllegalArgumentException("model has no spelled-out PReLU to fuse");
        return rewriter.write();
    }

    private static int retype(ModelRewriter rewriter, int tensor, float[] values) {
        rewriter.retypeTensor(tensor, FlatModel.TYPE_FLOAT32, rewriter.addBuffer(ModelRewriter.floatBytes(values)));
        return tensor;
    }

    /** One spelled-out PReLU ending in ADD: its input, constant alpha, output and the four operators before the ADD. */
    record Match(int x, int alpha, int output, int[] removed) {}

    static Match match(Graph g, int add) {
        FlatModel.Operator op = g.ops.get(add);
        if (op.builtinCode() != FlatModel.OP_ADD || g.flat.fusedActivation(add) != 0 || op.inputs().length() != 2) return null;
        int[] in = g.flat.toArray(op.inputs());
        for (int order = 0; order < 2; order++) {
            int relu = g.producer(in[order], FlatModel.OP_RELU);
            int mul = g.producer(in[1 - order], FlatModel.OP_MUL);
            if (relu < 0 || mul < 0 || g.flat.fusedActivation(mul) != 0) continue;
            int x = g.input(relu, 0);
            int[] mulIn = g.flat.toArray(g.ops.get(mul).inputs());
            for (int side = 0; side < 2; side++) {
                int alpha = mulIn[side];
                int sub = g.producer(mulIn[1 - side], FlatModel.OP_SUB);
                if (!g.isFloatConstant(alpha) || sub < 0 || g.flat.fusedActivation(sub) != 0) continue;
                if (g.input(sub, 0) != x) continue;
                int abs = g.producer(g.input(sub, 1), FlatModel.OP_ABS);
                if (abs < 0 || g.input(abs, 0) != x) continue;
                int[] removed = {relu, abs, sub, mul};
                boolean private_ = true;
                for (int r : removed) private_ &= g.usedOnlyInside(g.output(r), removed, add);
                if (private_) return new Match(x, alpha, g.output(add), removed);
            }
        }
        return null;
    }

    /** Who produces and who reads each tensor. */
    static final class Graph {
        final FlatModel flat;
        final List<FlatModel.Operator> ops;
        final Map<Integer, Integer> producers = new HashMap<>();
        final Map<Integer, List<Integer>> readers = new HashMap<>();
        final java.util.Set<Integer> graphOutputs = new java.util.HashSet<>();

        Graph(FlatModel flat) {
            this.flat = flat;
            this.ops = flat.operators();
            for (int i = 0; i < ops.size(); i++) {
                for (int t : flat.toArray(ops.get(i).outputs())) producers.put(t, i);
                for (int t : flat.toArray(ops.get(i).inputs())) readers.computeIfAbsent(t, k -> new java.util.ArrayList<>()).add(i);
            }
            for (int t : flat.toArray(flat.outputs())) graphOutputs.add(t);
        }

        /** The operator making {@code tensor} if it is a {@code builtin} operator with one output, else -1. */
        int producer(int tensor, int builtin) {
            Integer op = producers.get(tensor);
            return op != null && ops.get(op).builtinCode() == builtin && ops.get(op).outputs().length() == 1 ? op : -1;
        }

        int input(int op, int i) {
            FlatModel.IntVector in = ops.get(op).inputs();
            return i < in.length() ? in.get(flat.bytes(), i) : -1;
        }

        int output(int op) {
            return ops.get(op).outputs().get(flat.bytes(), 0);
        }

        int consumers(int tensor) {
            return readers.getOrDefault(tensor, List.of()).size();
        }

        boolean isFloatConstant(int tensor) {
            FlatModel.Tensor t = flat.tensors().get(tensor);
            return t.type() == FlatModel.TYPE_FLOAT32 && flat.buffer(t.buffer()).length() > 0;
        }

        /** True when only the given operators (and {@code last}) read {@code tensor} and it is no graph output. */
        boolean usedOnlyInside(int tensor, int[] group, int last) {
            if (graphOutputs.contains(tensor)) return false;
            for (int reader : readers.getOrDefault(tensor, List.of())) {
                boolean inside = reader == last;
                for (int g : group) inside |= reader == g;
                if (!inside) return false;
            }
            return true;
        }
    }
}
