package doorman.tflite.model;

import com.google.flatbuffers.FlatBufferBuilder;

/**
 * Hand-built one-layer models for the rewriter's tests. Unlike converter output they keep their weights at the end
 * of the file, after the graph, so a rewrite cannot drop them by embedding only a tail.
 */
final class TinyModels {

    private TinyModels() {}

    /** input [1, in] -> FULLY_CONNECTED (weights [out, in] row-major, bias [out]) -> output [1, out]. */
    static byte[] fullyConnected(int in, float[] weights, float[] bias) {
        int out = bias.length;
        FlatBufferBuilder fb = new FlatBufferBuilder(1024);
        // created first, so they land at the far end of the file
        int weightData = data(fb, ModelRewriter.floatBytes(weights));
        int biasData = data(fb, ModelRewriter.floatBytes(bias));
        int[] buffers = {buffer(fb, 0), buffer(fb, weightData), buffer(fb, biasData), buffer(fb, 0), buffer(fb, 0)};
        int[] tensors = {
                tensor(fb, "input", new int[]{1, in}, 3),
                tensor(fb, "weights", new int[]{out, in}, 1),
                tensor(fb, "bias", new int[]{out}, 2),
                tensor(fb, "output", new int[]{1, out}, 4)};
        int opInputs = ints(fb, 0, 1, 2);
        int opOutputs = ints(fb, 3);
        fb.startTable(3);
        fb.addInt(FlatModel.OPERATOR_OPCODE_INDEX, 0, -1);
        fb.addOffset(FlatModel.OPERATOR_INPUTS, opInputs, 0);
        fb.addOffset(FlatModel.OPERATOR_OUTPUTS, opOutputs, 0);
        int operator = fb.endTable();
        int tensorVector = fb.createVectorOfTables(tensors);
        int inputs = ints(fb, 0);
        int outputs = ints(fb, 3);
        int operators = fb.createVectorOfTables(new int[]{operator});
        fb.startTable(4);
        fb.addOffset(FlatModel.SUBGRAPH_TENSORS, tensorVector, 0);
        fb.addOffset(FlatModel.SUBGRAPH_INPUTS, inputs, 0);
        fb.addOffset(FlatModel.SUBGRAPH_OUTPUTS, outputs, 0);
        fb.addOffset(FlatModel.SUBGRAPH_OPERATORS, operators, 0);
        int subgraph = fb.endTable();
        fb.startTable(4);
        fb.addByte(FlatModel.OPCODE_DEPRECATED_BUILTIN, (byte) FlatModel.OP_FULLY_CONNECTED, 0);
        fb.addInt(FlatModel.OPCODE_VERSION, 1, 0);
        fb.addInt(FlatModel.OPCODE_BUILTIN, FlatModel.OP_FULLY_CONNECTED, 0);
        int opcode = fb.endTable();
        int opcodes = fb.createVectorOfTables(new int[]{opcode});
        int subgraphs = fb.createVectorOfTables(new int[]{subgraph});
        int bufferVector = fb.createVectorOfTables(buffers);
        int description = fb.createString("tiny test model");
        fb.startTable(5);
        fb.addInt(FlatModel.MODEL_VERSION, 3, 0);
        fb.addOffset(FlatModel.MODEL_OPERATOR_CODES, opcodes, 0);
        fb.addOffset(FlatModel.MODEL_SUBGRAPHS, subgraphs, 0);
        fb.addOffset(FlatModel.MODEL_DESCRIPTION, description, 0);
        fb.addOffset(FlatModel.MODEL_BUFFERS, bufferVector, 0);
        fb.finish(fb.endTable(), "TFL3");
        return fb.sizedByteArray();
    }

    private static int data(FlatBufferBuilder fb, byte[] bytes) {
        fb.createUnintializedVector(1, bytes.length, 16).put(bytes);
        return fb.endVector();
    }

    private static int buffer(FlatBufferBuilder fb, int data) {
        fb.startTable(1);
        if (data != 0) fb.addOffset(FlatModel.BUFFER_DATA, data, 0);
        return fb.endTable();
    }

    private static int tensor(FlatBufferBuilder fb, String name, int[] shape, int buffer) {
        int shapeVector = ints(fb, shape);
        int nameString = fb.createString(name);
        fb.startTable(4);
        fb.addOffset(FlatModel.TENSOR_SHAPE, shapeVector, 0);
        fb.addByte(FlatModel.TENSOR_TYPE, (byte) FlatModel.TYPE_FLOAT32, -1);
        fb.addInt(FlatModel.TENSOR_BUFFER, buffer, -1);
        fb.addOffset(FlatModel.TENSOR_NAME, nameString, 0);
        return fb.endTable();
    }

    private static int ints(FlatBufferBuilder fb, int... values) {
        fb.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) fb.addInt(values[i]);
        return fb.endVector();
    }
}
