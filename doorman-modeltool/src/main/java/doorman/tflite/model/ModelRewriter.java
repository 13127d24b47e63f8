package doorman.tflite.model;

import com.google.flatbuffers.FlatBufferBuilder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a new TFLite file from an existing one plus added buffers, tensors and operators, without
 * knowing every table of the schema: the original file is embedded (16-byte aligned) at the far end of the new
 * buffer, and the new model's tables point forward into it for everything they keep (operators with their
 * options, tensors, strings). Only the tables that change are written anew.
 * <p>
 * Converters put the root, the buffer tables and the weights first and the graph after them, so when every kept
 * table lies behind the last weight only that tail is embedded and all buffers are written anew: a weight replaced
 * by a smaller one then really shrinks the file, and a buffer no tensor uses any more after {@link #retypeTensor}
 * is left empty. The new file has the same layout (buffers first, graph, then the embedded tail), so it can be
 * rewritten again. When the layout is different the whole original is embedded, which is correct but keeps the
 * old weights' bytes as dead weight.
 */
public final class ModelRewriter {

    private final byte[] original;
    private final FlatModel flat;
    private final int oldTensors;
    private final List<byte[]> newBuffers = new ArrayList<>();
    private final List<NewTensor> newTensors = new ArrayList<>();
    private final Map<Integer, NewTensor> replacedTensors = new LinkedHashMap<>();
    private final List<NewOperator> prepended = new ArrayList<>();
    private final List<NewOperator> appended = new ArrayList<>();
    private final Map<Integer, NewOperator> replacedOperators = new LinkedHashMap<>();
    private final Set<Integer> removedOperators = new HashSet<>();
    private final List<Integer> newOpcodes = new ArrayList<>();
    private int[] outputs;

    /** A new or retyped tensor; a retyped one has no name or shape (they are kept) and keeps its quantisation unless given one. */
    private record NewTensor(String name, int type, int[] shape, int buffer, Quantization quantization,
                             boolean keepQuantization) {}

    private record NewOperator(int opcodeIndex, int[] inputs, int[] outputs) {}

    public ModelRewriter(byte[] model) {
        this.original = model.clone();
        this.flat = new FlatModel(ByteBuffer.wrap(original));
        if (flat.hasExternalBuffers())
            throw new IllegalArgumentException("models keeping weights outside the flatbuffer (over 2 GB) are not supported");
        this.oldTensors = flat.tensors().size();
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
        return addTensor(name, type, shape, buffer, null);
    }

    /** Adds a tensor with affine quantisation ({@code null} for none). */
    public int addTensor(String name, int type, int[] shape, int buffer, Quantization quantization) {
        newTensors.add(new NewTensor(name, type, shape.clone(), buffer, quantization, false));
        return oldTensors + newTensors.size() - 1;
    }

    /** Gives existing tensor {@code index} a new type and buffer, keeping its name, shape and quantisation. */
    public void retypeTensor(int index, int type, int buffer) {
        checkTensor(index);
        replacedTensors.put(index, new NewTensor(null, type, null, buffer, null, true));
    }

    /** Gives existing tensor {@code index} a new type, buffer and quantisation ({@code null} drops it), keeping name and shape. */
    public void retypeTensor(int index, int type, int buffer, Quantization quantization) {
        checkTensor(index);
        replacedTensors.put(index, new NewTensor(null, type, null, buffer, quantization, false));
    }

    private void checkTensor(int index) {
        if (index < 0 || index >= oldTensors)
            throw new IllegalArgumentException("no tensor " + index + " in the original model (it has " + oldTensors + ")");
    }

    /** Adds an operator after the existing ones (it may consume their outputs). */
    public void appendOperator(int builtinCode, int[] inputs, int[] outputs) {
        appended.add(new NewOperator(opcode(builtinCode), inputs.clone(), outputs.clone()));
    }

    /** Adds an operator before the existing ones (e.g. to dequantise weights they read). */
    public void prependOperator(int builtinCode, int[] inputs, int[] outputs) {
        prepended.add(new NewOperator(opcode(builtinCode), inputs.clone(), outputs.clone()));
    }

    /** Puts a builtin operator (without options) in the place of existing operator {@code index}. */
    public void replaceOperator(int index, int builtinCode, int[] inputs, int[] outputs) {
        checkOperator(index);
        removedOperators.remove(index);
        replacedOperators.put(index, new NewOperator(opcode(builtinCode), inputs.clone(), outputs.clone()));
    }

    /** Leaves existing operator {@code index} out; whatever read its outputs must read something else now. */
    public void removeOperator(int index) {
        checkOperator(index);
        replacedOperators.remove(index);
        removedOperators.add(index);
    }

    private void checkOperator(int index) {
        int count = flat.operators().size();
        if (index < 0 || index >= count)
            throw new IllegalArgumentException("no operator " + index + " in the original model (it has " + count + ")");
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
        int tail = keptTailStart();
        if (tail > 0) {
            try {
                return write(tail);
            } catch (OutsideKeptTail e) {
                // some table we keep lies among the old weights: embed the whole file instead
            }
        }
        return write(0);
    }

    /** Where the old root, buffer tables and weights end, rounded down to 16 so the tail keeps its alignment. */
    private int keptTailStart() {
        int root = flat.root();
        int buffers = flat.vector(root, FlatModel.MODEL_BUFFERS);
        int end = Math.max(flat.tableEnd(root), buffers + 4 + 4 * flat.bufferCount());
        for (int i = 0; i < flat.bufferCount(); i++) {
            end = Math.max(end, flat.tableEnd(flat.tableAt(buffers, i)));
            FlatModel.Buffer b = flat.buffer(i);
            if (b.length() > 0) end = Math.max(end, b.position() + b.length());
        }
        return Math.min(end, original.length) & ~15;
    }

    private byte[] write(int tail) {
        int extra = newBuffers.stream().mapToInt(b -> b.length + 32).sum();
        FlatBufferBuilder fb = new FlatBufferBuilder(original.length - tail + extra + 65536);
        ByteBuffer blob = fb.createUnintializedVector(1, original.length - tail, 16);
        blob.put(original, tail, original.length - tail);
        Old old = new Old(fb.endVector(), tail);
        int root = flat.root();
        int subgraph = flat.subgraph();

        // The graph first, so it ends up after the buffers in the file (the builder fills from the back).
        List<Integer> tensorOffsets = new ArrayList<>();
        int tensorsVector = flat.vector(subgraph, FlatModel.SUBGRAPH_TENSORS);
        for (int i = 0; i < oldTensors; i++) {
            NewTensor replacement = replacedTensors.get(i);
            int oldTable = flat.tableAt(tensorsVector, i);
            tensorOffsets.add(replacement == null ? old.table(oldTable) : retyped(fb, old, oldTable, replacement));
        }
        for (NewTensor t : newTensors) tensorOffsets.add(tensor(fb, t));

        List<Integer> operatorOffsets = new ArrayList<>();
        for (NewOperator op : prepended) operatorOffsets.add(operator(fb, op));
        int operatorsVector = flat.vector(subgraph, FlatModel.SUBGRAPH_OPERATORS);
        for (int i = 0; i < flat.operators().size(); i++) {
            if (removedOperators.contains(i)) continue;
            NewOperator replacement = replacedOperators.get(i);
            operatorOffsets.add(replacement != null ? operator(fb, replacement) : old.table(flat.tableAt(operatorsVector, i)));
        }
        for (NewOperator op : appended) operatorOffsets.add(operator(fb, op));

        List<Integer> opcodeOffsets = new ArrayList<>();
        int opcodesVector = flat.vector(root, FlatModel.MODEL_OPERATOR_CODES);
        for (int i = 0; i < flat.opcodeCount(); i++) opcodeOffsets.add(old.table(flat.tableAt(opcodesVector, i)));
        for (int code : newOpcodes) {
            fb.startTable(4);
            fb.addByte(FlatModel.OPCODE_DEPRECATED_BUILTIN, (byte) Math.min(code, 127), 0);
            fb.addInt(FlatModel.OPCODE_VERSION, 1, 0);
            fb.addInt(FlatModel.OPCODE_BUILTIN, code, 0);
            opcodeOffsets.add(fb.endTable());
        }

        int tensorsOut = fb.createVectorOfTables(toArray(tensorOffsets));
        int inputsOut = intVector(fb, flat.toArray(flat.inputs()));
        int outputsOut = intVector(fb, outputs);
        int operatorsOut = fb.createVectorOfTables(toArray(operatorOffsets));
        int name = copyString(fb, subgraph, FlatModel.SUBGRAPH_NAME);
        fb.startTable(5);
        fb.addOffset(FlatModel.SUBGRAPH_TENSORS, tensorsOut, 0);
        fb.addOffset(FlatModel.SUBGRAPH_INPUTS, inputsOut, 0);
        fb.addOffset(FlatModel.SUBGRAPH_OUTPUTS, outputsOut, 0);
        fb.addOffset(FlatModel.SUBGRAPH_OPERATORS, operatorsOut, 0);
        if (name != 0) fb.addOffset(FlatModel.SUBGRAPH_NAME, name, 0);
        int newSubgraph = fb.endTable();

        int subgraphsVector = flat.vector(root, FlatModel.MODEL_SUBGRAPHS);
        int[] subgraphs = new int[flat.subgraphCount()];
        subgraphs[0] = newSubgraph;
        for (int i = 1; i < subgraphs.length; i++) subgraphs[i] = old.table(flat.tableAt(subgraphsVector, i));
        int subgraphsOut = fb.createVectorOfTables(subgraphs);
        int opcodesOut = fb.createVectorOfTables(toArray(opcodeOffsets));
        int description = copyString(fb, root, FlatModel.MODEL_DESCRIPTION);
        int metadataBuffer = flat.intVector(root, FlatModel.MODEL_METADATA_BUFFER) == null ? 0
                : intVector(fb, flat.toArray(flat.intVector(root, FlatModel.MODEL_METADATA_BUFFER)));
        int metadata = metadata(fb, root);

        List<Integer> bufferOffsets = new ArrayList<>();
        Set<Integer> orphans = orphanedBuffers();
        int buffersVector = flat.vector(root, FlatModel.MODEL_BUFFERS);
        for (int i = 0; i < flat.bufferCount(); i++) {
            if (orphans.contains(i)) bufferOffsets.add(buffer(fb, new byte[0]));
            else if (tail > 0) bufferOffsets.add(buffer(fb, flat.bufferBytes(i)));
            else bufferOffsets.add(old.table(flat.tableAt(buffersVector, i)));
        }
        for (byte[] data : newBuffers) bufferOffsets.add(buffer(fb, data));
        int buffersOut = fb.createVectorOfTables(toArray(bufferOffsets));

        // Signature defs name the old outputs, so they are dropped rather than left pointing at the wrong tensor.
        fb.startTable(8);
        fb.addInt(FlatModel.MODEL_VERSION, Math.max(3, flat.scalarInt(root, FlatModel.MODEL_VERSION)), 0);
        fb.addOffset(FlatModel.MODEL_OPERATOR_CODES, opcodesOut, 0);
        fb.addOffset(FlatModel.MODEL_SUBGRAPHS, subgraphsOut, 0);
        if (description != 0) fb.addOffset(FlatModel.MODEL_DESCRIPTION, description, 0);
        fb.addOffset(FlatModel.MODEL_BUFFERS, buffersOut, 0);
        if (metadataBuffer != 0) fb.addOffset(FlatModel.MODEL_METADATA_BUFFER, metadataBuffer, 0);
        if (metadata != 0) fb.addOffset(FlatModel.MODEL_METADATA, metadata, 0);
        int model = fb.endTable();
        fb.finish(model, "TFL3");
        return fb.sizedByteArray();
    }

    /** Old buffers that only retyped tensors used: nothing reads them any more, so their bytes are dropped. */
    private Set<Integer> orphanedBuffers() {
        if (replacedTensors.isEmpty() || flat.subgraphCount() > 1) return Set.of();
        Set<Integer> used = new HashSet<>();
        Set<Integer> left = new HashSet<>();
        for (FlatModel.Tensor t : flat.tensors()) {
            NewTensor r = replacedTensors.get(t.index());
            if (r == null) used.add(t.buffer());
            else {
                used.add(r.buffer());
                left.add(t.buffer());
            }
        }
        for (NewTensor t : newTensors) used.add(t.buffer());
        int[] metadataBuffers = flat.toArray(flat.intVector(flat.root(), FlatModel.MODEL_METADATA_BUFFER));
        for (int b : metadataBuffers) used.add(b);
        used.addAll(flat.metadata().values());
        left.removeAll(used);
        left.remove(0);
        return left;
    }

    /**
     * Maps a position in the original file to a builder offset inside the embedded tail. Asking for a position
     * before the tail (or a table whose vtable lies there) means the tail cannot stand alone.
     */
    private final class Old {
        private final int vector;
        private final int tail;

        Old(int vector, int tail) {
            this.vector = vector;
            this.tail = tail;
        }

        int at(int position) {
            if (position < tail) throw new OutsideKeptTail();
            return vector - 4 - (position - tail);
        }

        int table(int position) {
            at(flat.vtableOf(position));
            return at(position);
        }
    }

    private static final class OutsideKeptTail extends RuntimeException {
        OutsideKeptTail() {
            super(null, null, false, false);
        }
    }

    private void keep(FlatBufferBuilder fb, Old old, int table, int field) {
        int target = flat.vector(table, field);
        if (target >= 0) fb.addOffset(field, old.at(target), 0);
    }

    private int copyString(FlatBufferBuilder fb, int table, int field) {
        return flat.vector(table, field) < 0 ? 0 : fb.createString(flat.string(table, field));
    }

    /** Metadata entries (name and buffer index) written anew, since they usually sit among the buffers. */
    private int metadata(FlatBufferBuilder fb, int root) {
        int vec = flat.vector(root, FlatModel.MODEL_METADATA);
        if (vec < 0) return 0;
        int[] tables = new int[flat.bytes().getInt(vec)];
        for (int i = 0; i < tables.length; i++) {
            int entry = flat.tableAt(vec, i);
            int name = copyString(fb, entry, FlatModel.METADATA_NAME);
            fb.startTable(2);
            if (name != 0) fb.addOffset(FlatModel.METADATA_NAME, name, 0);
            fb.addInt(FlatModel.METADATA_BUFFER, flat.scalarInt(entry, FlatModel.METADATA_BUFFER), 0);
            tables[i] = fb.endTable();
        }
        return fb.createVectorOfTables(tables);
    }

    private static int buffer(FlatBufferBuilder fb, byte[] data) {
        int dataVector = 0;
        if (data.length > 0) {
            fb.createUnintializedVector(1, data.length, 16).put(data);
            dataVector = fb.endVector();
        }
        fb.startTable(1);
        if (dataVector != 0) fb.addOffset(FlatModel.BUFFER_DATA, dataVector, 0);
        return fb.endTable();
    }

    private int retyped(FlatBufferBuilder fb, Old old, int oldTable, NewTensor t) {
        int quantization = t.keepQuantization() ? 0 : quantization(fb, t.quantization());
        fb.startTable(8);
        keep(fb, old, oldTable, FlatModel.TENSOR_SHAPE);
        fb.addByte(FlatModel.TENSOR_TYPE, (byte) t.type(), -1);
        fb.addInt(FlatModel.TENSOR_BUFFER, t.buffer(), -1);
        keep(fb, old, oldTable, FlatModel.TENSOR_NAME);
        if (t.keepQuantization()) {
            int q = flat.vector(oldTable, FlatModel.TENSOR_QUANTIZATION);
            if (q >= 0) fb.addOffset(FlatModel.TENSOR_QUANTIZATION, old.table(q), 0);
        } else if (quantization != 0) {
            fb.addOffset(FlatModel.TENSOR_QUANTIZATION, quantization, 0);
        }
        keep(fb, old, oldTable, FlatModel.TENSOR_SHAPE_SIGNATURE);
        return fb.endTable();
    }

    private static int tensor(FlatBufferBuilder fb, NewTensor t) {
        int shape = intVector(fb, t.shape());
        int name = fb.createString(t.name());
        int quantization = quantization(fb, t.quantization());
        fb.startTable(5);
        fb.addOffset(FlatModel.TENSOR_SHAPE, shape, 0);
        fb.addByte(FlatModel.TENSOR_TYPE, (byte) t.type(), -1);
        fb.addInt(FlatModel.TENSOR_BUFFER, t.buffer(), -1);
        fb.addOffset(FlatModel.TENSOR_NAME, name, 0);
        if (quantization != 0) fb.addOffset(FlatModel.TENSOR_QUANTIZATION, quantization, 0);
        return fb.endTable();
    }

    /** A QuantizationParameters table (scale, zero_point, quantized_dimension), or 0 for none. */
    private static int quantization(FlatBufferBuilder fb, Quantization q) {
        if (q == null) return 0;
        float[] scales = q.scales();
        long[] zeros = q.zeroPoints();
        fb.startVector(4, scales.length, 4);
        for (int i = scales.length - 1; i >= 0; i--) fb.addFloat(scales[i]);
        int scaleVector = fb.endVector();
        fb.startVector(8, zeros.length, 8);
        for (int i = zeros.length - 1; i >= 0; i--) fb.addLong(zeros[i]);
        int zeroVector = fb.endVector();
        fb.startTable(7);
        fb.addOffset(FlatModel.QUANT_SCALE, scaleVector, 0);
        fb.addOffset(FlatModel.QUANT_ZERO_POINT, zeroVector, 0);
        fb.addInt(FlatModel.QUANT_DIMENSION, q.quantizedDimension(), 0);
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
