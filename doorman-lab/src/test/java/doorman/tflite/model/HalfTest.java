package doorman.tflite.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HalfTest {

    private static void assertHalf(int expectedBits, float value) {
        assertEquals(expectedBits, Half.fromFloat(value) & 0xffff,
                () -> value + " gave 0x" + Integer.toHexString(Half.fromFloat(value) & 0xffff));
    }

    @Test
    void exactValuesHaveTheirStandardEncodings() {
        assertHalf(0x0000, 0f);
        assertHalf(0x8000, -0f);
        assertHalf(0x3c00, 1f);
        assertHalf(0xc000, -2f);
        assertHalf(0x3555, 0.333251953125f);
        assertHalf(0x7bff, 65504f);
        assertHalf(0xfbff, -65504f);
        assertHalf(0x0400, 0x1p-14f);       // smallest normal
        assertHalf(0x03ff, 1023 * 0x1p-24f); // largest subnormal
        assertHalf(0x0001, 0x1p-24f);       // smallest subnormal
        assertHalf(0x0200, 0x1p-15f);
        assertHalf(0x7c00, Float.POSITIVE_INFINITY);
        assertHalf(0xfc00, Float.NEGATIVE_INFINITY);
    }

    @Test
    void tiesRoundToEven() {
        assertHalf(0x3c00, 1f + 0x1p-11f);         // halfway between 0x3c00 and 0x3c01: even is 0x3c00
        assertHalf(0x3c02, 1f + 3 * 0x1p-11f);     // halfway between 0x3c01 and 0x3c02: even is 0x3c02
        assertHalf(0x3c01, 1f + 0x1p-11f + 0x1p-20f); // just above halfway goes up
        assertHalf(0x0000, 0x1p-25f);               // halfway between 0 and the smallest subnormal
        assertHalf(0x0001, 0x1p-25f + 0x1p-35f);
        assertHalf(0x0002, 3 * 0x1p-25f);           // halfway between subnormals 1 and 2
        assertHalf(0x0002, 5 * 0x1p-25f);           // halfway between 2 and 3
        assertHalf(0x0400, 2047 * 0x1p-25f);        // rounds up out of the subnormals into the smallest normal
        assertHalf(0x7bff, 65519.99f);
        assertHalf(0x7c00, 65520f);                 // halfway between 65504 and the next step: overflows
        assertHalf(0x0000, 0x1p-26f);
        assertHalf(0x0000, Float.MIN_VALUE);        // float subnormals vanish
    }

    @Test
    void everyHalfSurvivesARoundTripThroughFloat() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            short h = (short) bits;
            float f = Half.toFloat(h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(f))), "NaN 0x" + Integer.toHexString(bits));
                continue;
            }
            assertEquals(bits, Half.fromFloat(f) & 0xffff, "0x" + Integer.toHexString(bits) + " = " + f);
        }
    }

    @Test
    void narrowingPicksTheNearestHalf() {
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 100_000; i++) {
            float f = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(40) - 25));
            float rounded = Half.toFloat(Half.fromFloat(f));
            float below = Half.toFloat((short) ((Half.fromFloat(f) & 0xffff) - 1));
            float above = Half.toFloat((short) ((Half.fromFloat(f) & 0xffff) + 1));
            double error = Math.abs((double) rounded - f);
            if (Float.isInfinite(rounded)) continue;
            if (!Float.isNaN(below)) assertTrue(error <= Math.abs((double) below - f), f + " nearer to " + below);
            if (!Float.isNaN(above) && !Float.isInfinite(above)) assertTrue(error <= Math.abs((double) above - f), f + " nearer to " + above);
        }
    }

    @Test
    void nanStaysNan() {
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.intBitsToFloat(0x7f800001)))));
    }

    @Test
    void bufferBytesAreLittleEndian() {
        assertArrayEquals(new byte[]{0x00, 0x3c, 0x00, (byte) 0xc0}, Half.bytes(new float[]{1f, -2f}));
    }
}
