package doorman.tflite.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only view of a TFLite flatbuffer (first subgraph), enough to inspect and patch models in place.
 * Field numbers follow TFLite's published schema; positions are absolute offsets into the buffer so a
 * caller can rewrite scalars without rebuilding the file.
 */
public final class FlatModel {

    // Field numbers in TFLite's schema.
    static final int MODEL_OPERATOR_CODES = 1, MODEL_SUBGRAPHS = 2, MODEL_BUFFERS = 4;
    static final int SUBGRAPH_TENSORS = 0, SUBGRAPH_INPUTS = 1, SUBGRAPH_OUTPUTS = 2, SUBGRAPH_OPERATORS = 3;
    static final int TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_NAME = 3, TENSOR_SHAPE_SIGNATURE = 7;
    static final int OPCODE_DEPRECATED_BUILTIN = 0, OPCODE_VERSION = 2, OPCODE_BUILTIN = 3;
    static final int MODEL_VERSION = 0, MODEL_DESCRIPTION = 3, MODEL_METADATA_BUFFER = 5, MODEL_METADATA = 6;
    static final int SUBGRAPH_NAME = 4, TENSOR_QUANTIZATION = 4;
    static final int OPERATOR_OPCODE_INDEX = 0, OPERATOR_INPUTS = 1, OPERATOR_OUTPUTS = 2, OPERATOR_BUILTIN_OPTIONS = 4;
    /** In AddOptions, SubOptions and MulOptions alike. */
    static final int OPTIONS_FUSED_ACTIVATION = 0;
    static final int BUFFER_DATA = 0, BUFFER_OFFSET = 1;
    static final int QUANT_MIN = 0, QUANT_MAX = 1, QUANT_SCALE = 2, QUANT_ZERO_POINT = 3, QUANT_DETAILS = 5,
            QUANT_DIMENSION = 6;
    static final int METADATA_NAME = 0, METADATA_BUFFER = 1;

    public static final int TYPE_FLOAT32 = 0, TYPE_FLOAT16 = 1, TYPE_INT32 = 2, TYPE_INT8 = 9;
    public static final int OP_FULLY_CONNECTED = 9, OP_L2_NORMALIZATION = 11, OP_RESHAPE = 22, OP_DEQUANTIZE = 6;
    public static final int OP_CONV_2D = 3, OP_DEPTHWISE_CONV_2D = 4, OP_PRELU = 54;
    public static final int OP_ADD = 0, OP_MUL = 18, OP_RELU = 19, OP_SUB = 41, OP_ABS = 101;

    /** An int vector inside the buffer: where its elements start and how many there are. */
    public record IntVector(int position, int length) {
        public int get(ByteBuffer b, int i) {
            return b.getInt(position + 4 * i);
        }
    }

    public record Tensor(int index, String name, int type, int buffer, IntVector shape, IntVector shapeSignature) {}

    public record Operator(int opcodeIndex, int builtinCode, IntVector inputs, IntVector outputs) {}

    /** Raw data of a constant buffer: absolute position and byte length (length 0 for activations). */
    public record Buffer(int position, int length) {}

    private final ByteBuffer bytes;
    private final int subgraph;
    private final int[] opcodeBuiltins;

    public FlatModel(ByteBuffer modelBytes) {
        this.bytes = modelBytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.limit() < 8 || bytes.get(4) != 'T' || bytes.get(5) != 'F' || bytes.get(6) != 'L' || bytes.get(7) != '3')
            throw new IllegalArgumentException("not a TFLite model (no TFL3 identifier)");
        int root = bytes.getInt(0);
        int subgraphs = vector(root, MODEL_SUBGRAPHS);
        if (subgraphs < 0 || bytes.getInt(subgraphs) < 1) throw new IllegalArgumentException("model has no subgraph");
        this.subgraph = tableAt(subgraphs, 0);
        int codes = vector(root, MODEL_OPERATOR_CODES);
        opcodeBuiltins = new int[codes < 0 ? 0 : bytes.getInt(codes)];
        for (int i = 0; i < opcodeBuiltins.length; i++) {
            int code = tableAt(codes, i);
            // Newer files keep codes >= 127 in builtin_code and a placeholder in the deprecated byte field.
            int deprecated = scalarByte(code, OPCODE_DEPRECATED_BUILTIN);
            opcodeBuiltins[i] = Math.max(deprecated, scalarInt(code, OPCODE_BUILTIN));
        }
    }

    public ByteBuffer bytes() {
        return bytes;
    }

    /** Position of the first subgraph table. */
    int subgraph() {
        return subgraph;
    }

    int opcodeCount() {
        return opcodeBuiltins.length;
    }

    /** The builtin operator of operator-code {@code index}. */
    public int opcodeBuiltin(int index) {
        return opcodeBuiltins[index];
    }

    public int root() {
        return bytes.getInt(0);
    }

    public List<Tensor> tensors() {
        int vec = vector(subgraph, SUBGRAPH_TENSORS);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < bytes.getInt(vec); i++) {
            int t = tableAt(vec, i);
            out.add(new Tensor(i, string(t, TENSOR_NAME), scalarByte(t, TENSOR_TYPE), scalarInt(t, TENSOR_BUFFER),
                    intVector(t, TENSOR_SHAPE), intVector(t, TENSOR_SHAPE_SIGNATURE)));
        }
        return out;
    }

    public List<Operator> operators() {
        int vec = vector(subgraph, SUBGRAPH_OPERATORS);
        List<Operator> out = new ArrayList<>();
        for (int i = 0; i < bytes.getInt(vec); i++) {
            int op = tableAt(vec, i);
            int index = scalarInt(op, OPERATOR_OPCODE_INDEX);
            out.add(new Operator(index, opcodeBuiltins[index], intVector(op, OPERATOR_INPUTS), intVector(op, OPERATOR_OUTPUTS)));
        }
        return out;
    }

    /** The fused activation of an ADD, SUB or MUL operator (0 = none, also when it has no options). */
    public int fusedActivation(int operatorIndex) {
        int op = tableAt(vector(subgraph, SUBGRAPH_OPERATORS), operatorIndex);
        int options = vector(op, OPERATOR_BUILTIN_OPTIONS);
        return options < 0 ? 0 : scalarByte(options, OPTIONS_FUSED_ACTIVATION);
    }

    public Buffer buffer(int index) {
        int vec = vector(root(), MODEL_BUFFERS);
        int buf = tableAt(vec, index);
        int data = vector(buf, BUFFER_DATA);
        return data < 0 ? new Buffer(0, 0) : new Buffer(data + 4, bytes.getInt(data));
    }

    public int bufferCount() {
        return bytes.getInt(vector(root(), MODEL_BUFFERS));
    }

    /** A copy of buffer {@code index}'s bytes (empty for activations). */
    public byte[] bufferBytes(int index) {
        Buffer b = buffer(index);
        byte[] out = new byte[b.length()];
        bytes.get(b.position(), out);
        return out;
    }

    /** A constant tensor's values as floats; throws unless it is a FLOAT32 tensor with data. */
    public float[] floats(Tensor t) {
        if (t.type() != TYPE_FLOAT32) throw new IllegalArgumentException("tensor " + t.name() + " is not FLOAT32");
        Buffer b = buffer(t.buffer());
        if (b.length() == 0) throw new IllegalArgumentException("tensor " + t.name() + " has no constant data");
        float[] out = new float[b.length() / 4];
        for (int i = 0; i < out.length; i++) out[i] = bytes.getFloat(b.position() + 4 * i);
        return out;
    }

    /** Tensor {@code index}'s affine quantisation, or null when it has none (float tensors). */
    public Quantization quantization(int index) {
        int t = tableAt(vector(subgraph, SUBGRAPH_TENSORS), index);
        int q = vector(t, TENSOR_QUANTIZATION);
        if (q < 0) return null;
        int scales = vector(q, QUANT_SCALE);
        int zeros = vector(q, QUANT_ZERO_POINT);
        if (scales < 0 || bytes.getInt(scales) == 0) return null;
        float[] s = new float[bytes.getInt(scales)];
        for (int i = 0; i < s.length; i++) s[i] = bytes.getFloat(scales + 4 + 4 * i);
        long[] z = new long[s.length];
        if (zeros >= 0) for (int i = 0; i < Math.min(z.length, bytes.getInt(zeros)); i++) z[i] = bytes.getLong(zeros + 4 + 8 * i);
        return new Quantization(s, z, scalarInt(q, QUANT_DIMENSION));
    }

    /** True when some buffer keeps its data outside the flatbuffer (offset/size, used by files over 2 GB). */
    public boolean hasExternalBuffers() {
        int vec = vector(root(), MODEL_BUFFERS);
        for (int i = 0; i < bufferCount(); i++) if (fieldOffset(tableAt(vec, i), BUFFER_OFFSET) != 0) return true;
        return false;
    }

    /** The model's metadata entries: name to buffer index, in file order. */
    public java.util.Map<String, Integer> metadata() {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        int vec = vector(root(), MODEL_METADATA);
        for (int i = 0; vec >= 0 && i < bytes.getInt(vec); i++) {
            int entry = tableAt(vec, i);
            out.put(string(entry, METADATA_NAME), scalarInt(entry, METADATA_BUFFER));
        }
        return out;
    }

    public String description() {
        return string(root(), MODEL_DESCRIPTION);
    }

    public int subgraphCount() {
        return bytes.getInt(vector(root(), MODEL_SUBGRAPHS));
    }

    public IntVector inputs() {
        return intVector(subgraph, SUBGRAPH_INPUTS);
    }

    public IntVector outputs() {
        return intVector(subgraph, SUBGRAPH_OUTPUTS);
    }

    public int[] toArray(IntVector v) {
        int[] out = new int[v == null ? 0 : v.length()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(bytes, i);
        return out;
    }

    // --- flatbuffer primitives: tables point to vtables by a signed offset, everything else by forward offsets.

    int fieldOffset(int table, int field) {
        int vtable = table - bytes.getInt(table);
        int vtableSize = bytes.getShort(vtable) & 0xffff;
        int slot = 4 + 2 * field;
        return slot < vtableSize ? bytes.getShort(vtable + slot) & 0xffff : 0;
    }

    int vector(int table, int field) {
        int off = fieldOffset(table, field);
        if (off == 0) return -1;
        int at = table + off;
        return at + bytes.getInt(at);
    }

    /** Where a table's inline fields end (its vtable records the size). */
    int tableEnd(int table) {
        int vtable = table - bytes.getInt(table);
        return table + (bytes.getShort(vtable + 2) & 0xffff);
    }

    /** Where a table's vtable is. */
    int vtableOf(int table) {
        return table - bytes.getInt(table);
    }

    int tableAt(int vector, int i) {
        int at = vector + 4 + 4 * i;
        return at + bytes.getInt(at);
    }

    int scalarInt(int table, int field) {
        int off = fieldOffset(table, field);
        return off == 0 ? 0 : bytes.getInt(table + off);
    }

    int scalarByte(int table, int field) {
        int off = fieldOffset(table, field);
        return off == 0 ? 0 : bytes.get(table + off) & 0xff;
    }

    IntVector intVector(int table, int field) {
        int vec = vector(table, field);
        return vec < 0 ? null : new IntVector(vec + 4, bytes.getInt(vec));
    }

    String string(int table, int field) {
        int vec = vector(table, field);
        if (vec < 0) return "";
        byte[] s = new byte[bytes.getInt(vec)];
        bytes.get(vec + 4, s);
        return new String(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
