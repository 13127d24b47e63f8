package doorman.modeltool;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian primitives over {@link DataInput}/{@link DataOutput}, whose own methods are big-endian.
 * Our binary files are little-endian so that ARM and x86 readers (and a numpy one-liner) can map them directly.
 */
public final class LittleEndianData {

    private LittleEndianData() {
    }

    public static void writeInt(DataOutput out, int v) throws IOException {
        out.writeInt(Integer.reverseBytes(v));
    }

    public static int readInt(DataInput in) throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    public static void writeFloat(DataOutput out, float v) throws IOException {
        writeInt(out, Float.floatToRawIntBits(v));
    }

    public static float readFloat(DataInput in) throws IOException {
        return Float.intBitsToFloat(readInt(in));
    }

    public static void writeFloats(DataOutput out, float[] values) throws IOException {
        for (float v : values) writeFloat(out, v);
    }

    public static float[] readFloats(DataInput in, int count) throws IOException {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) values[i] = readFloat(in);
        return values;
    }

    /** A string as its UTF-8 byte count followed by the bytes. */
    public static void writeString(DataOutput out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length);
        out.write(bytes);
    }

    /** Reads a string written by {@link #writeString}; the cap keeps a corrupt length from exhausting memory. */
    public static String readString(DataInput in, int maxBytes) throws IOException {
        int length = readInt(in);
        if (length < 0 || length > maxBytes)
            throw new IOException("corrupt file: string length " + length + " outside 0.." + maxBytes);
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
