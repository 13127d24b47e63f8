package doorman.tflite.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A cursor over one protobuf message: reads field tags and values by wire type (varint, fixed64,
 * length-delimited, fixed32), which is all the ONNX schema uses. Nested messages are read with a new reader
 * over the delimited bytes. Malformed input (truncated, unknown wire type) throws {@link OnnxException}.
 */
final class ProtoReader {

    static final int VARINT = 0, FIXED64 = 1, LENGTH_DELIMITED = 2, FIXED32 = 5;

    private final ByteBuffer bytes;
    private int tag;

    ProtoReader(ByteBuffer bytes) {
        this.bytes = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    ProtoReader(byte[] bytes) {
        this(ByteBuffer.wrap(bytes));
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (!bytes.hasRemaining()) return false;
        long key = varint();
        tag = (int) key;
        if (field() == 0) throw new OnnxException("protobuf field number 0 (corrupt file)");
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = get();
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) return result;
        }
        throw new OnnxException("protobuf varint longer than 10 bytes (corrupt file)");
    }

    float fixed32Float() {
        need(4);
        return bytes.getFloat();
    }

    /** The next length-delimited value, as a view (no copy). */
    ByteBuffer delimited() {
        long length = varint();
        if (length < 0 || length > bytes.remaining())
            throw new OnnxException("protobuf length " + length + " runs past the end (truncated file)");
        ByteBuffer out = bytes.slice(bytes.position(), (int) length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(bytes.position() + (int) length);
        return out;
    }

    ProtoReader message() {
        return new ProtoReader(delimited());
    }

    String string() {
        ByteBuffer b = delimited();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A repeated int64 field's values at this tag: packed (one delimited run) or a single varint. */
    long[] int64s() {
        if (wireType() == VARINT) return new long[] {varint()};
        ProtoReader packed = new ProtoReader(delimited());
        long[] out = new long[16];
        int n = 0;
        while (packed.bytes.hasRemaining()) {
            if (n == out.length) out = java.util.Arrays.copyOf(out, n * 2);
            out[n++] = packed.varint();
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** A repeated float field's values at this tag: packed or a single fixed32. */
    float[] floats() {
        if (wireType() == FIXED32) return new float[] {fixed32Float()};
        ByteBuffer b = delimited();
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> skipBytes(8);
            case LENGTH_DELIMITED -> delimited();
            case FIXED32 -> skipBytes(4);
            default -> throw new OnnxException("protobuf wire type " + wireType() + " is not supported (corrupt file?)");
        }
    }

    private void skipBytes(int n) {
        need(n);
        bytes.position(bytes.position() + n);
    }

    private byte get() {
        need(1);
        return bytes.get();
    }

    private void need(int n) {
        if (bytes.remaining() < n) throw new OnnxException("protobuf message ends early (truncated file)");
    }
}
