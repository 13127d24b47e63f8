package doorman.tflite.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model a converter needs: the main graph's nodes in order, its constant tensors
 * (initializers, float32 or int64) and its graph inputs and outputs with their shapes. Field numbers follow the
 * public onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
 */
public record OnnxGraph(List<Node> nodes, Map<String, Constant> constants, List<Value> inputs, List<Value> outputs,
                        long opset) {

    /** One operator: its type, input and output value names (an empty name is an omitted optional input). */
    public record Node(String opType, String name, List<String> inputs, List<String> outputs,
                       Map<String, Attribute> attributes) {
        public long intAttribute(String key, long fallback) {
            Attribute a = attributes.get(key);
            return a == null ? fallback : a.i();
        }

        public float floatAttribute(String key, float fallback) {
            Attribute a = attributes.get(key);
            return a == null ? fallback : a.f();
        }

        public String stringAttribute(String key, String fallback) {
            Attribute a = attributes.get(key);
            return a == null ? fallback : a.s();
        }

        public long[] intsAttribute(String key, long[] fallback) {
            Attribute a = attributes.get(key);
            return a == null ? fallback : a.ints().clone();
        }

        /** Input {@code i}'s name, or "" when the node has fewer inputs. */
        public String input(int i) {
            return i < inputs.size() ? inputs.get(i) : "";
        }
    }

    /** A node attribute; only the scalar and list fields the converter reads. */
    public record Attribute(String name, float f, long i, String s, long[] ints, float[] floats) {}

    /** A constant tensor; int64 tensors (shapes) are kept as longs, float tensors as floats. */
    public record Constant(String name, long[] dims, float[] floats, long[] longs) {
        public int size() {
            long n = 1;
            for (long d : dims) n *= d;
            return (int) n;
        }

        public int[] shape() {
            return Arrays.stream(dims).mapToInt(Math::toIntExact).toArray();
        }
    }

    /** A graph input or output: its name and dimensions (-1 where the file leaves one symbolic). */
    public record Value(String name, long[] dims) {}

    static final int TYPE_FLOAT = 1, TYPE_INT64 = 7;

    public static OnnxGraph parse(byte[] file) {
        ProtoReader model = new ProtoReader(file);
        ByteBuffer graph = null;
        long opset = 0;
        while (model.next()) {
            switch (model.field()) {
                case 7 -> graph = model.delimited();
                case 8 -> opset = Math.max(opset, opsetVersion(model.message()));
                default -> model.skip();
            }
        }
        if (graph == null) throw new OnnxException("not an ONNX model: no graph");
        return graph(new ProtoReader(graph), opset);
    }

    private static long opsetVersion(ProtoReader opset) {
        String domain = "";
        long version = 0;
        while (opset.next()) {
            if (opset.field() == 1) domain = opset.string();
            else if (opset.field() == 2) version = opset.varint();
            else opset.skip();
        }
        return domain.isEmpty() || domain.equals("ai.onnx") ? version : 0;
    }

    private static OnnxGraph graph(ProtoReader g, long opset) {
        List<Node> nodes = new ArrayList<>();
        Map<String, Constant> constants = new LinkedHashMap<>();
        List<Value> inputs = new ArrayList<>();
        List<Value> outputs = new ArrayList<>();
        while (g.next()) {
            switch (g.field()) {
                case 1 -> nodes.add(node(g.message()));
                case 5 -> {
                    Constant c = tensor(g.message());
                    constants.put(c.name(), c);
                }
                case 11 -> inputs.add(value(g.message()));
                case 12 -> outputs.add(value(g.message()));
                default -> g.skip();
            }
        }
        // Older exporters list initializers among the inputs too; those are not inputs to feed.
        inputs.removeIf(v -> constants.containsKey(v.name()));
        for (Node n : nodes) {
            if (n.opType().equals("Constant")) throw new OnnxException("Constant nodes are not supported (node " + n.name() + ")");
        }
        return new OnnxGraph(List.copyOf(nodes), constants, List.copyOf(inputs), List.copyOf(outputs), opset);
    }

    private static Node node(ProtoReader n) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String name = "";
        String op = "";
        String domain = "";
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        while (n.next()) {
            switch (n.field()) {
                case 1 -> in.add(n.string());
                case 2 -> out.add(n.string());
                case 3 -> name = n.string();
                case 4 -> op = n.string();
                case 5 -> {
                    Attribute a = attribute(n.message());
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = n.string();
                default -> n.skip();
            }
        }
        if (!domain.isEmpty() && !domain.equals("ai.onnx"))
            throw new OnnxException("operator " + op + " from domain " + domain + " is not supported");
        return new Node(op, name, List.copyOf(in), List.copyOf(out), attributes);
    }

    private static Attribute attribute(ProtoReader a) {
        String name = "";
        float f = 0;
        long i = 0;
        String s = "";
        long[] ints = new long[0];
        float[] floats = new float[0];
        while (a.next()) {
            switch (a.field()) {
                case 1 -> name = a.string();
                case 2 -> f = a.fixed32Float();
                case 3 -> i = a.varint();
                case 4 -> s = a.string();
                case 7 -> floats = concat(floats, a.floats());
                case 8 -> ints = concat(ints, a.int64s());
                default -> a.skip();
            }
        }
        return new Attribute(name, f, i, s, ints, floats);
    }

    private static Constant tensor(ProtoReader t) {
        long[] dims = new long[0];
        int type = 0;
        String name = "";
        float[] floatData = new float[0];
        long[] int64Data = new long[0];
        ByteBuffer raw = null;
        while (t.next()) {
            switch (t.field()) {
                case 1 -> dims = concat(dims, t.int64s());
                case 2 -> type = (int) t.varint();
                case 4 -> floatData = concat(floatData, t.floats());
                case 7 -> int64Data = concat(int64Data, t.int64s());
                case 8 -> name = t.string();
                case 9 -> raw = t.delimited();
                case 13, 14 -> throw new OnnxException("tensor keeps its data outside the file (external data): " + name);
                default -> t.skip();
            }
        }
        long count = 1;
        for (long d : dims) count *= d;
        if (type == TYPE_FLOAT) {
            float[] values = floatData;
            if (raw != null) {
                values = new float[raw.remaining() / 4];
                raw.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            }
            if (values.length != count) throw new OnnxException("tensor " + name + " has " + values.length + " values for shape " + Arrays.toString(dims));
            return new Constant(name, dims, values, null);
        }
        if (type == TYPE_INT64) {
            long[] values = int64Data;
            if (raw != null) {
                values = new long[raw.remaining() / 8];
                raw.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
            }
            if (values.length != count) throw new OnnxException("tensor " + name + " has " + values.length + " values for shape " + Arrays.toString(dims));
            return new Constant(name, dims, null, values);
        }
        throw new OnnxException("tensor " + name + " has ONNX data type " + type + "; only float32 and int64 are supported");
    }

    private static Value value(ProtoReader v) {
        String name = "";
        long[] dims = new long[0];
        while (v.next()) {
            if (v.field() == 1) name = v.string();
            else if (v.field() == 2) dims = tensorTypeDims(v.message());
            else v.skip();
        }
        return new Value(name, dims);
    }

    /** TypeProto.tensor_type(1).shape(2).dim(1).dim_value(1); a dim_param (symbolic) becomes -1. */
    private static long[] tensorTypeDims(ProtoReader type) {
        long[] dims = new long[0];
        while (type.next()) {
            if (type.field() != 1) {
                type.skip();
                continue;
            }
            ProtoReader tensor = type.message();
            while (tensor.next()) {
                if (tensor.field() != 2) {
                    tensor.skip();
                    continue;
                }
                ProtoReader shape = tensor.message();
                while (shape.next()) {
                    if (shape.field() != 1) {
                        shape.skip();
                        continue;
                    }
                    ProtoReader dim = shape.message();
                    long value = -1;
                    while (dim.next()) {
                        if (dim.field() == 1) value = dim.varint();
                        else dim.skip();
                    }
                    dims = concat(dims, new long[] {value});
                }
            }
        }
        return dims;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
