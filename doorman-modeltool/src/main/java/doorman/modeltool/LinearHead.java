package doorman.modeltool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The learned projection head: a fully connected layer followed by L2 normalisation, exactly what the
 * TFLite graph does with FULLY_CONNECTED (weights out x in, bias) then L2_NORMALIZATION.
 *
 * <p>File format ({@link #save}), all little-endian:
 * <pre>
 *   offset  size             content
 *   0       4                magic "DMLH" (ASCII)
 *   4       4                int32 format version (1)
 *   8       4                int32 output dimension (rows)
 *   12      4                int32 input dimension (columns)
 *   16      4*out*in         float32 weights, row-major: row o holds the weights of output o
 *   ..      4*out            float32 bias
 *   ..      4                CRC-32 of all preceding bytes (as int32)
 * </pre>
 * A 128x192 head takes 98,836 bytes.
 *
 * @param weights row-major, {@code outDim} rows of {@code inDim}
 * @param bias    one per output
 */
public record LinearHead(float[] weights, float[] bias) {

    private static final byte[] MAGIC = "DMLH".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    /** Far above any head we train; stops a corrupt header from allocating gigabytes. */
    private static final int MAX_PARAMETERS = 1 << 22;

    public LinearHead {
        if (bias.length == 0) throw new IllegalArgumentException("head needs at least one output");
        if (weights.length == 0 || weights.length % bias.length != 0)
            throw new IllegalArgumentException("weights length " + weights.length + " is not a multiple of "
                    + bias.length + " outputs");
        requireFinite(weights, "weights");
        requireFinite(bias, "bias");
        weights = weights.clone();
        bias = bias.clone();
    }

    public int outDim() {
        return bias.length;
    }

    public int inDim() {
        return weights.length / bias.length;
    }

    /** Projects {@code x} and normalises the result to unit length. */
    public float[] apply(float[] x) {
        int in = inDim();
        if (x.length != in) throw new IllegalArgumentException("expected " + in + "-d input, got " + x.length);
        int out = outDim();
        double[] z = new double[out];
        double norm2 = 0;
        for (int o = 0; o < out; o++) {
            double s = bias[o];
            int row = o * in;
            for (int i = 0; i < in; i++) s += (double) weights[row + i] * x[i];
            z[o] = s;
            norm2 += s * s;
        }
        if (!(norm2 > 0)) throw new IllegalArgumentException("head maps this input to the zero vector");
        double inv = 1 / Math.sqrt(norm2);
        float[] y = new float[out];
        for (int o = 0; o < out; o++) y[o] = (float) (z[o] * inv);
        return y;
    }

    public void save(Path file) throws IOException {
        ChecksummedFiles.write(file, out -> {
            out.write(MAGIC);
            LittleEndianData.writeInt(out, VERSION);
            LittleEndianData.writeInt(out, outDim());
            LittleEndianData.writeInt(out, inDim());
            LittleEndianData.writeFloats(out, weights);
            LittleEndianData.writeFloats(out, bias);
        });
    }

    public static LinearHead load(Path file) throws IOException {
        return ChecksummedFiles.read(file, in -> {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new IOException(file + " is not a Doorman linear head (bad magic)");
            int version = LittleEndianData.readInt(in);
            if (version != VERSION) throw new IOException(file + " has unsupported head format version " + version);
            int out = LittleEndianData.readInt(in);
            int inDim = LittleEndianData.readInt(in);
            if (out < 1 || inDim < 1 || (long) out * inDim > MAX_PARAMETERS)
                throw new IOException(file + " has implausible dimensions " + out + "x" + inDim);
            float[] w = LittleEndianData.readFloats(in, out * inDim);
            float[] b = LittleEndianData.readFloats(in, out);
            try {
                return new LinearHead(w, b);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public float[] bias() {
        return bias.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearHead h && Arrays.equals(weights, h.weights) && Arrays.equals(bias, h.bias);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return "LinearHead[" + inDim() + " -> " + outDim() + "]";
    }

    private static void requireFinite(float[] values, String what) {
        for (int i = 0; i < values.length; i++)
            if (!Float.isFinite(values[i])) throw new IllegalArgumentException(what + "[" + i + "] is " + values[i]);
    }
}
