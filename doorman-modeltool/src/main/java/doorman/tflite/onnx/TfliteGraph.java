package doorman.tflite.onnx;

import com.google.flatbuffers.FlatBufferBuilder;
import doorman.tflite.model.FlatModel;
import doorman.tflite.model.ModelRewriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Writes a new single-subgraph TFLite flatbuffer from scratch: float32 and int32 tensors, constant buffers and
 * builtin operators with their options tables. Field numbers and union indices follow TFLite's published schema.
 * The graph is written first and the buffers last, so the weights come first in the file, as
 * {@link ModelRewriter} expects of converter output.
 */
final class TfliteGraph {

    // BuiltinOptions union members (1-based positions in the schema's union).
    static final int OPTIONS_CONV2D = 1, OPTIONS_DEPTHWISE = 2, OPTIONS_FULLY_CONNECTED = 8, OPTIONS_SOFTMAX = 9,
            OPTIONS_ADD = 11, OPTIONS_RESHAPE = 17, OPTIONS_MUL = 21, OPTIONS_PAD = 22, OPTIONS_TRANSPOSE = 26,
            OPTIONS_REDUCER = 27;
    static final int OP_LOGISTIC = 14, OP_SOFTMAX = 25, OP_PAD = 34, OP_TRANSPOSE = 39, OP_MEAN = 40;
    static final int PADDING_SAME = 0, PADDING_VALID = 1;
    static final int ACTIVATION_NONE = 0, ACTIVATION_RELU = 1;
    private static final int OPERATOR_OPTIONS_TYPE = 3, OPERATOR_OPTIONS = 4;
    private static final int TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_NAME = 3;

    private record Tensor(String name, int type, int[] shape, int buffer) {}

    /** An options table is written by the builder just before its operator; null for none. */
    private record Operator(int builtin, int[] inputs, int[] outputs, int optionsType, ToIntFunction<FlatBufferBuilder> options) {}

    private final List<byte[]> buffers = new ArrayList<>(List.of(new byte[0]));
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Operator> operators = new ArrayList<>();
    private final List<Integer> opcodes = new ArrayList<>();
    private int[] inputs = new int[0];
    private int[] outputs = new int[0];

    int activation(String name, int[] shape) {
        tensors.add(new Tensor(name, FlatModel.TYPE_FLOAT32, shape.clone(), 0));
        return tensors.size() - 1;
    }

    int constant(String name, int[] shape, float[] values) {
        if (values.length != product(shape)) throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + java.util.Arrays.toString(shape));
        buffers.add(ModelRewriter.floatBytes(values));
        tensors.add(new Tensor(name, FlatModel.TYPE_FLOAT32, shape.clone(), buffers.size() - 1));
        return tensors.size() - 1;
    }

    int int32Constant(String name, int[] values) {
        return int32Constant(name, new int[] {values.length}, values);
    }

    int int32Constant(String name, int[] shape, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        buffers.add(b.array());
        tensors.add(new Tensor(name, FlatModel.TYPE_INT32, shape.clone(), buffers.size() - 1));
        return tensors.size() - 1;
    }

    int[] shape(int tensor) {
        return tensors.get(tensor).shape().clone();
    }

    void operator(int builtin, int[] in, int[] out) {
        operator(builtin, in, out, 0, null);
    }

    void operator(int builtin, int[] in, int[] out, int optionsType, ToIntFunction<FlatBufferBuilder> options) {
        if (!opcodes.contains(builtin)) opcodes.add(builtin);
        operators.add(new Operator(builtin, in.clone(), out.clone(), optionsType, options));
    }

    int operatorCount() {
        return operators.size();
    }

    /** The builtin codes of the operators, in order (for tests and reports). */
    int[] builtins() {
        return operators.stream().mapToInt(Operator::builtin).toArray();
    }

    void setInputs(int... tensorIndices) {
        inputs = tensorIndices.clone();
    }

    void setOutputs(int... tensorIndices) {
        outputs = tensorIndices.clone();
    }

    byte[] write(String description) {
        long weights = buffers.stream().mapToLong(b -> b.length + 32L).sum();
        FlatBufferBuilder fb = new FlatBufferBuilder((int) Math.min(Integer.MAX_VALUE - 8, weights + 65536));
        int[] tensorOffsets = new int[tensors.size()];
        for (int i = 0; i < tensorOffsets.length; i++) {
            Tensor t = tensors.get(i);
            int shape = intVector(fb, t.shape());
            int name = fb.createString(t.name());
            fb.startTable(4);
            fb.addOffset(TENSOR_SHAPE, shape, 0);
            fb.addByte(TENSOR_TYPE, (byte) t.type(), -1);
            fb.addInt(TENSOR_BUFFER, t.buffer(), -1);
            fb.addOffset(TENSOR_NAME, name, 0);
            tensorOffsets[i] = fb.endTable();
        }
        int[] operatorOffsets = new int[operators.size()];
        for (int i = 0; i < operatorOffsets.length; i++) {
            Operator op = operators.get(i);
            int options = op.options() == null ? 0 : op.options().applyAsInt(fb);
            int in = intVector(fb, op.inputs());
            int out = intVector(fb, op.outputs());
            fb.startTable(5);
            fb.addInt(0, opcodes.indexOf(op.builtin()), -1);
            fb.addOffset(1, in, 0);
            fb.addOffset(2, out, 0);
            if (options != 0) {
                fb.addByte(OPERATOR_OPTIONS_TYPE, (byte) op.optionsType(), 0);
                fb.addOffset(OPERATOR_OPTIONS, options, 0);
            }
            operatorOffsets[i] = fb.endTable();
        }
        int tensorsVector = fb.createVectorOfTables(tensorOffsets);
        int inputsVector = intVector(fb, inputs);
        int outputsVector = intVector(fb, outputs);
        int operatorsVector = fb.createVectorOfTables(operatorOffsets);
        int subgraphName = fb.createString("main");
        fb.startTable(5);
        fb.addOffset(0, tensorsVector, 0);
        fb.addOffset(1, inputsVector, 0);
        fb.addOffset(2, outputsVector, 0);
        fb.addOffset(3, operatorsVector, 0);
        fb.addOffset(4, subgraphName, 0);
        int subgraph = fb.endTable();
        int subgraphs = fb.createVectorOfTables(new int[] {subgraph});

        int[] codeOffsets = new int[opcodes.size()];
        for (int i = 0; i < codeOffsets.length; i++) {
            int code = opcodes.get(i);
            fb.startTable(4);
            fb.addByte(0, (byte) Math.min(code, 127), 0);
            fb.addInt(2, 1, 0);
            fb.addInt(3, code, 0);
            codeOffsets[i] = fb.endTable();
        }
        int codes = fb.createVectorOfTables(codeOffsets);
        int descriptionString = fb.createString(description);

        int[] bufferOffsets = new int[buffers.size()];
        for (int i = 0; i < bufferOffsets.length; i++) {
            byte[] data = buffers.get(i);
            int dataVector = 0;
            if (data.length > 0) {
                fb.createUnintializedVector(1, data.length, 16).put(data);
                dataVector = fb.endVector();
            }
            fb.startTable(1);
            if (dataVector != 0) fb.addOffset(0, dataVector, 0);
            bufferOffsets[i] = fb.endTable();
        }
        int buffersVector = fb.createVectorOfTables(bufferOffsets);
        fb.startTable(5);
        fb.addInt(0, 3, 0);
        fb.addOffset(1, codes, 0);
        fb.addOffset(2, subgraphs, 0);
        fb.addOffset(3, descriptionString, 0);
        fb.addOffset(4, buffersVector, 0);
        fb.finish(fb.endTable(), "TFL3");
        return fb.sizedByteArray();
    }

    // --- options tables (field numbers from the schema; defaults as the schema declares them)

    static ToIntFunction<FlatBufferBuilder> conv2d(int padding, int strideW, int strideH, int activation) {
        return fb -> {
            fb.startTable(6);
            fb.addByte(0, (byte) padding, PADDING_SAME);
            fb.addInt(1, strideW, 0);
            fb.addInt(2, strideH, 0);
            fb.addByte(3, (byte) activation, 0);
            fb.addInt(4, 1, 1);
            fb.addInt(5, 1, 1);
            return fb.endTable();
        };
    }

    static ToIntFunction<FlatBufferBuilder> depthwise(int padding, int strideW, int strideH, int multiplier, int activation) {
        return fb -> {
            fb.startTable(7);
            fb.addByte(0, (byte) padding, PADDING_SAME);
            fb.addInt(1, strideW, 0);
            fb.addInt(2, strideH, 0);
            fb.addInt(3, multiplier, 0);
            fb.addByte(4, (byte) activation, 0);
            return fb.endTable();
        };
    }

    static ToIntFunction<FlatBufferBuilder> fullyConnected(int activation) {
        return fb -> {
            fb.startTable(4);
            fb.addByte(0, (byte) activation, 0);
            return fb.endTable();
        };
    }

    /** AddOptions and MulOptions share the layout: the fused activation is field 0. */
    static ToIntFunction<FlatBufferBuilder> activationOnly(int activation) {
        return fb -> {
            fb.startTable(1);
            fb.addByte(0, (byte) activation, 0);
            return fb.endTable();
        };
    }

    static ToIntFunction<FlatBufferBuilder> softmax(float beta) {
        return fb -> {
            fb.startTable(1);
            fb.addFloat(0, beta, 0);
            return fb.endTable();
        };
    }

    static ToIntFunction<FlatBufferBuilder> reshape(int[] newShape) {
        return fb -> {
            int v = intVector(fb, newShape);
            fb.startTable(1);
            fb.addOffset(0, v, 0);
            return fb.endTable();
        };
    }

    static ToIntFunction<FlatBufferBuilder> reducer(boolean keepDims) {
        return fb -> {
            fb.startTable(1);
            fb.addBoolean(0, keepDims, false);
            return fb.endTable();
        };
    }

    static ToIntFunction<FlatBufferBuilder> empty() {
        return fb -> {
            fb.startTable(0);
            return fb.endTable();
        };
    }

    private static int intVector(FlatBufferBuilder fb, int[] values) {
        fb.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) fb.addInt(values[i]);
        return fb.endVector();
    }

    static int product(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
