package doorman.tflite.model;

import com.google.flatbuffers.FlatBufferBuilder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a new TFLite file from an existing one plus added buffers, tensors and operators, without
 * knowing every table of the schema: the original file is embedded whole (16-byte aligned) at the far end of
 * the new buffer, and the new model's tables point forward into it for everything they keep (operators with
 * their options, tensors, strings, metadata). Only the tables that change are written anew. The old root,
 * left unreferenced inside the blob, costs its size and nothing else.
 */
public final class ModelRewriter {

    private final byte[] original;
    private final FlatModel flat;
    private final List<byte[]> newBuffers = new ArrayList<>();
    private final List<NewTensor> newTensors = new ArrayList<>();
    private final Map<Integer, NewTensor> replacedTensors = new LinkedHashMap<>();
    private final List<NewOperator> prepended = new ArrayList<>();
    private final List<NewOperator> appended = new ArrayList<>();
    private final List<Integer> newOpcodes = new ArrayList<>();
    private int[] outputs;

    private record NewTensor(String name, int type, int[] shape, int buffer, int replaces) {}

    private record NewOperator(int opcodeIndex, int[] inputs, int[] outputs) {}

    public ModelRewriter(byte[] model) {
        this.original = model.clone();
        this.flat = new FlatModel(ByteBuffer.wrap(original));
        this.outputs = flat.toArray(flat.outputs());
    }

    public FlatModel model() {
        return flat;
    }

    /** Adds a constant buffer (empty for activations) and returns its index. */
    public int addBuffer(byte[] data) {
        newBuffers.add(data.clone());
        return flat.bufferCount() + newBuffers.size() - 1;
    }

    public int addTensor(String name, int type, int[] shape, int buffer) {
        newTensors.add(new NewTensor(name, type, shape.clone(), buffer, -1));
        return flat.tensors().size() + newTensors.size() - 1;
    }

    /** Gives existing tensor {@code index} a new type and buffer, keeping its name, shape and quantisation. */
    public void retypeTensor(int index, int type, int buffer) {
        replacedTensors.put(index, new NewTensor(null, type, null, buffer, index));
    }

    /** Adds an operator after the existing ones (it may consume their outputs). */
    public void appendOperator(int builtinCode, int[] inputs, int[] outputs) {
        appended.add(new NewOperator(opcode(builtinCode), inputs.clone(), outputs.clone()));
    }

    /** Adds an operator before the existing ones (e.g. to dequantise weights they read). */
    public void prependOperator(int builtinCode, int[] inputs, int[] outputs) {
        prepended.add(new NewOperator(opcode(builtinCode), inputs.clone(), outputs.clone()));
    }

    public void setOutputs(int... tensors) {
        outputs = tensors.clone();
    }

    private int opcode(int builtinCode) {
        for (int i = 0; i < flat.opcodeCount(); i++) if (flat.opcodeBuiltin(i) == builtinCode) return i;
        int at = newOpcodes.indexOf(builtinCode);
        if (at < 0) {
            newOpcodes.add(builtinCode);
            at = newOpcodes.size() - 1;
        }
        return flat.opcodeCount() + at;
    }

    public byte[] write() {
        int extra = newBuffers.stream().mapToInt(b -> b.length + 32).sum();
        FlatBufferBuilder fb = new FlatBufferBuilder(original.length + extra + 65536);
        ByteBuffer blob = fb.createUnintializedVector(1, original.length, 16);
        blob.put(original);
        int blobVector = fb.endVector();
        Old old = new Old(blobVector);
        int root = flat.root();
        int subgraph = flat.subgraph();

        int[] bufferTables = new int[newBuffers.size()];
        for (int i = 0; i < bufferTables.length; i++) {
            byte[] data = newBuffers.get(i);
            int dataVector = -1;
            if (data.length > 0) {
                fb.createUnintializedVector(1, data.length, 16).put(data);
                dataVector = fb.endVector();
            }
            fb.startTable(3);
            if (dataVector >= 0) fb.addOffset(FlatModel.BUFFER_DATA, dataVector, 0);
            bufferTables[i] = fb.endTable();
        }

        List<Integer> tensorOffsets = new ArrayList<>();
        int tensorsVector = flat.vector(subgraph, FlatModel.SUBGRAPH_TENSORS);
        for (int i = 0; i < flat.tensors().size(); i++) {
            NewTensor replacement = replacedTensors.get(i);
            int oldTable = flat.tableAt(tensorsVector, i);
            tensorOffsets.add(replacement == null ? old.at(oldTable) : retyped(fb, old, oldTable, replacement));
        }
        for (NewTensor t : newTensors) tensorOffsets.add(tensor(fb, t));

        List<Integer> operatorOffsets = new ArrayList<>();
        for (NewOperator op : prepended) operatorOffsets.add(operator(fb, op));
        int operatorsVector = flat.vector(subgraph, FlatModel.SUBGRAPH_OPERATORS);
        for (int i = 0; i < flat.operators().size(); i++) operatorOffsets.add(old.at(flat.tableAt(operatorsVector, i)));
        for (NewOperator op : appended) operatorOffsets.add(operator(fb, op));

        List<Integer> opcodeOffsets = new ArrayList<>();
        int opcodesVector = flat.vector(root, FlatModel.MODEL_OPERATOR_CODES);
        for (int i = 0; i < flat.opcodeCount(); i++) opcodeOffsets.add(old.at(flat.tableAt(opcodesVector, i)));
        for (int code : newOpcodes) {
            fb.startTable(4);
            fb.addByte(FlatModel.OPCODE_DEPRECATED_BUILTIN, (byte) Math.min(code, 127), 0);
            fb.addInt(FlatModel.OPCODE_VERSION, 1, 0);
            fb.addInt(FlatModel.OPCODE_BUILTIN, code, 0);
            opcodeOffsets.add(fb.endTable());
        }

        List<Integer> bufferOffsets = new ArrayList<>();
        int buffersVector = flat.vector(root, FlatModel.MODEL_BUFFERS);
        for (int i = 0; i < flat.bufferCount(); i++) bufferOffsets.add(old.at(flat.tableAt(buffersVector, i)));
        for (int b : bufferTables) bufferOffsets.add(b);

        int tensorsOut = fb.createVectorOfTables(toArray(tensorOffsets));
        int inputsOut = intVector(fb, flat.toArray(flat.inputs()));
        int outputsOut = intVector(fb, outputs);
        int operatorsOut = fb.createVectorOfTables(toArray(operatorOffsets));
        int name = flat.vector(subgraph, FlatModel.SUBGRAPH_NAME);
        fb.startTable(5);
        fb.addOffset(FlatModel.SUBGRAPH_TENSORS, tensorsOut, 0);
        fb.addOffset(FlatModel.SUBGRAPH_INPUTS, inputsOut, 0);
        fb.addOffset(FlatModel.SUBGRAPH_OUTPUTS, outputsOut, 0);
        fb.addOffset(FlatModel.SUBGRAPH_OPERATORS, operatorsOut, 0);
        if (name >= 0) fb.addOffset(FlatModel.SUBGRAPH_NAME, old.at(name), 0);
        int newSubgraph = fb.endTable();

        int subgraphsVector = flat.vector(root, FlatModel.MODEL_SUBGRAPHS);
        int[] subgraphs = new int[flat.bytes().getInt(subgraphsVector)];
        subgraphs[0] = newSubgraph;
        for (int i = 1; i < subgraphs.length; i++) subgraphs[i] = old.at(flat.tableAt(subgraphsVector, i));
        int subgraphsOut = fb.createVectorOfTables(subgraphs);
        int opcodesOut = fb.createVectorOfTables(toArray(opcodeOffsets));
        int buffersOut = fb.createVectorOfTables(toArray(bufferOffsets));

        // Signature defs name the old outputs, so they are dropped rather than left pointing at the wrong tensor.
        fb.startTable(8);
        fb.addInt(FlatModel.MODEL_VERSION, Math.max(3, flat.scalarInt(root, FlatModel.MODEL_VERSION)), 0);
        fb.addOffset(FlatModel.MODEL_OPERATOR_CODES, opcodesOut, 0);
        fb.addOffset(FlatModel.MODEL_SUBGRAPHS, subgraphsOut, 0);
        keep(fb, old, root, FlatModel.MODEL_DESCRIPTION);
        fb.addOffset(FlatModel.MODEL_BUFFERS, buffersOut, 0);
        keep(fb, old, root, FlatModel.MODEL_METADATA_BUFFER);
        keep(fb, old, root, FlatModel.MODEL_METADATA);
        int model = fb.endTable();
        fb.finish(model, "TFL3");
        return fb.sizedByteArray();
    }

    /** Maps a position in the original file to a builder offset inside the embedded copy. */
    private record Old(int blobVector) {
        int at(int position) {
            return blobVector - 4 - position;
        }
    }

    private void keep(FlatBufferBuilder fb, Old old, int table, int field) {
        int target = flat.vector(table, field);
        if (target >= 0) fb.addOffset(field, old.at(target), 0);
    }

    private int retyped(FlatBufferBuilder fb, Old old, int oldTable, NewTensor t) {
        fb.startTable(8);
        keep(fb, old, oldTable, FlatModel.TENSOR_SHAPE);
        fb.addByte(FlatModel.TENSOR_TYPE, (byte) t.type(), -1);
        fb.addInt(FlatModel.TENSOR_BUFFER, t.buffer(), -1);
        keep(fb, old, oldTable, FlatModel.TENSOR_NAME);
        keep(fb, old, oldTable, FlatModel.TENSOR_QUANTIZATION);
        keep(fb, old, oldTable, FlatModel.TENSOR_SHAPE_SIGNATURE);
        return fb.endTable();
    }

    private static int tensor(FlatBufferBuilder fb, NewTensor t) {
        int shape = intVector(fb, t.shape());
        int name = fb.createString(t.name());
        fb.startTable(4);
        fb.addOffset(FlatModel.TENSOR_SHAPE, shape, 0);
        fb.addByte(FlatModel.TENSOR_TYPE, (byte) t.type(), -1);
        fb.addInt(FlatModel.TENSOR_BUFFER, t.buffer(), -1);
        fb.addOffset(FlatModel.TENSOR_NAME, name, 0);
        return fb.endTable();
    }

    private static int operator(FlatBufferBuilder fb, NewOperator op) {
        int inputs = intVector(fb, op.inputs());
        int outputs = intVector(fb, op.outputs());
        fb.startTable(3);
        fb.addInt(FlatModel.OPERATOR_OPCODE_INDEX, op.opcodeIndex(), -1);
        fb.addOffset(FlatModel.OPERATOR_INPUTS, inputs, 0);
        fb.addOffset(FlatModel.OPERATOR_OUTPUTS, outputs, 0);
        return fb.endTable();
    }

    private static int intVector(FlatBufferBuilder fb, int[] values) {
        fb.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) fb.addInt(values[i]);
        return fb.endVector();
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Little-endian bytes of floats, as TFLite buffers hold them. */
    public static byte[] floatBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }
}
