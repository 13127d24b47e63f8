package doorman.liveness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The reference crop and the score arithmetic, without natives. */
class MiniFasNetPreprocessingTest {

    @Test
    void cropScalesTheBoxAboutItsCentre() {
        // a 100x100 box centred at (320, 240) in 640x480, scaled 2.7 -> 270x270 around the same centre
        SilentFaceCrop c = SilentFaceCrop.of(640, 480, 270, 190, 100, 100, 2.7);
        assertEquals(new SilentFaceCrop(185, 105, 271, 271), c);
    }

    @Test
    void cropNearAnEdgeIsMovedInsideNotShrunk() {
        SilentFaceCrop c = SilentFaceCrop.of(640, 480, 0, 0, 100, 100, 2.7);
        assertEquals(0, c.x());
        assertEquals(0, c.y());
        assertEquals(271, c.width());
        assertEquals(271, c.height());
        SilentFaceCrop right = SilentFaceCrop.of(640, 480, 580, 400, 60, 80, 2.0);
        assertEquals(639, right.x() + right.width() - 1);
        assertEquals(479, right.y() + right.height() - 1);
    }

    @Test
    void cropScaleShrinksWhenTheBoxWouldNotFit() {
        // 4.0 x 200 px would be 800 px in a 640x480 image: the scale drops to 479 / 200 and the crop spans the height
        SilentFaceCrop c = SilentFaceCrop.of(640, 480, 220, 140, 200, 200, 4.0);
        assertEquals(0, c.y());
        assertEquals(480, c.height());
        assertEquals(480, c.width());
    }

    @Test
    void cropOfAnEmptyBoxIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SilentFaceCrop.of(640, 480, 10, 10, 0, 50, 2.7));
    }

    @Test
    void softmaxAndLiveScore() {
        double[] p = MiniFasNetScores.softmax(new float[] {0, (float) Math.log(2), 0});
        assertArrayEquals(new double[] {0.25, 0.5, 0.25}, p, 1e-9);
        // large logits do not overflow
        assertEquals(1.0, MiniFasNetScores.softmax(new float[] {-1000, 1000, -1000})[1], 1e-12);
        // mean of the two models' live-class probabilities
        assertEquals(0.75, MiniFasNetScores.liveScore(new float[] {0, (float) Math.log(2), 0}, new float[] {-1000, 1000, -1000}), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> MiniFasNetScores.liveScore(new float[2], new float[3]));
    }

    @Test
    void inputIsUnsignedBgrBytesAsFloats() {
        assertArrayEquals(new float[] {0, 127, 128, 255}, MiniFasNetScores.input(new byte[] {0, 127, (byte) 128, (byte) 255}));
    }
}
