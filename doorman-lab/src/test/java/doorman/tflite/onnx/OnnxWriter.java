package doorman.tflite.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes tiny ONNX models for the converter's tests: a protobuf encoder of our own for the few ModelProto fields
 * a single-input float graph needs (opset 17, weights as raw_data, float input and output value infos).
 */
final class OnnxWriter {

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private byte[] input;
    private byte[] output;

    OnnxWriter input(String name, long... dims) {
        input = valueInfo(name, dims);
        return this;
    }

    OnnxWriter output(String name, long... dims) {
        output = valueInfo(name, dims);
        return this;
    }

    OnnxWriter constant(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) raw.putFloat(v);
        Message t = new Message();
        for (long d : dims) t.varint(1, d);
        t.varint(2, 1);
        t.string(8, name);
        t.bytes(9, raw.array());
        initializers.add(t.toBytes());
        return this;
    }

    OnnxWriter int64Constant(String name, long... values) {
        Message t = new Message();
        t.varint(1, values.length);
        t.varint(2, 7);
        t.string(8, name);
        Message packed = new Message();
        for (long v : values) packed.rawVarint(v);
        t.bytes(7, packed.toBytes());
        initializers.add(t.toBytes());
        return this;
    }

    /** A node; attributes as alternating name, value (Long, Float, String or long[]). */
    OnnxWriter node(String op, String[] inputs, String[] outputs, Object... attributes) {
        Message n = new Message();
        for (String i : inputs) n.string(1, i);
        for (String o : outputs) n.string(2, o);
        n.string(3, op + "_" + nodes.size());
        n.string(4, op);
        for (int i = 0; i < attributes.length; i += 2) n.bytes(5, attribute((String) attributes[i], attributes[i + 1]));
        nodes.add(n.toBytes());
        return this;
    }

    byte[] build() {
        Message graph = new Message();
        for (byte[] n : nodes) graph.bytes(1, n);
        graph.string(2, "tiny");
        for (byte[] t : initializers) graph.bytes(5, t);
        graph.bytes(11, input);
        graph.bytes(12, output);
        Message opset = new Message();
        opset.string(1, "");
        opset.varint(2, 17);
        Message model = new Message();
        model.varint(1, 8);
        model.string(2, "doorman-test");
        model.bytes(7, graph.toBytes());
        model.bytes(8, opset.toBytes());
        return model.toBytes();
    }

    private static byte[] attribute(String name, Object value) {
        Message a = new Message();
        a.string(1, name);
        if (value instanceof Long l) {
            a.varint(3, l);
            a.varint(20, 2);
        } else if (value instanceof Integer i) {
            a.varint(3, i);
            a.varint(20, 2);
        } else if (value instanceof Float f) {
            a.fixed32(2, f);
            a.varint(20, 1);
        } else if (value instanceof String s) {
            a.string(4, s);
            a.varint(20, 3);
        } else if (value instanceof long[] ints) {
            for (long v : ints) a.varint(8, v);
            a.varint(20, 7);
        } else throw new IllegalArgumentException("attribute type " + value.getClass());
        return a.toBytes();
    }

    private static byte[] valueInfo(String name, long[] dims) {
        Message shape = new Message();
        for (long d : dims) {
            Message dim = new Message();
            dim.varint(1, d);
            shape.bytes(1, dim.toBytes());
        }
        Message tensor = new Message();
        tensor.varint(1, 1);
        tensor.bytes(2, shape.toBytes());
        Message type = new Message();
        type.bytes(1, tensor.toBytes());
        Message v = new Message();
        v.string(1, name);
        v.bytes(2, type.toBytes());
        return v.toBytes();
    }

    /** Protobuf wire format: tag = field << 3 | wire type, varints little-endian base 128. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void rawVarint(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void varint(int field, long v) {
            rawVarint((long) field << 3);
            rawVarint(v);
        }

        void fixed32(int field, float f) {
            rawVarint((long) field << 3 | 5);
            int bits = Float.floatToIntBits(f);
            for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        }

        void bytes(int field, byte[] b) {
            rawVarint((long) field << 3 | 2);
            rawVarint(b.length);
            out.writeBytes(b);
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
