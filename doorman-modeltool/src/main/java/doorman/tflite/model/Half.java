package doorman.tflite.model;

/**
 * IEEE 754 binary16 ("half") conversions, which Java 17 lacks. Narrowing rounds to nearest, ties to even,
 * including into the subnormal range; magnitudes from 65520 up become infinity, as the standard says.
 */
public final class Half {

    public static final float MAX_VALUE = 65504f;

    private Half() {}

    /** The half-precision bit pattern nearest to {@code f}. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            // keep NaN a NaN even when its payload lives only in the low bits that are cut off
            return (short) (sign | 0x7c00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
        }
        int unbiased = exponent - 127;
        if (unbiased >= -14) {
            int half = ((unbiased + 15) << 10) | (mantissa >>> 13);
            half = roundToEven(half, mantissa & 0x1fff, 0x1000);
            // a carry out of the mantissa moves to the next exponent, and past the largest one to infinity
            return (short) (sign | Math.min(half, 0x7c00));
        }
        if (unbiased < -25) return (short) sign;
        // subnormal half: value = k * 2^-24 with k = significand * 2^(unbiased + 1)
        int significand = mantissa | 0x800000;
        int shift = -unbiased - 1;
        int k = significand >>> shift;
        return (short) (sign | roundToEven(k, significand & ((1 << shift) - 1), 1 << (shift - 1)));
    }

    private static int roundToEven(int truncated, int remainder, int halfway) {
        if (remainder > halfway || (remainder == halfway && (truncated & 1) == 1)) return truncated + 1;
        return truncated;
    }

    /** The float a half-precision bit pattern stands for (exact: every half is a float). */
    public static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Little-endian half bytes of {@code values}, as a TFLite FLOAT16 buffer holds them. */
    public static byte[] bytes(float[] values) {
        byte[] out = new byte[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            short h = fromFloat(values[i]);
            out[2 * i] = (byte) h;
            out[2 * i + 1] = (byte) (h >>> 8);
        }
        return out;
    }
}
