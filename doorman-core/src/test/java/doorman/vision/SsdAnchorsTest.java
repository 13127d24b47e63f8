package doorman.vision;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SsdAnchorsTest {

    @Test
    void shortRangeHas896AnchorsOnTwoGrids() {
        float[] c = SsdAnchors.centres(128, new int[] {8, 16, 16, 16}, true);
        assertEquals(2 * 896, c.length);
        // 16x16 grid, two anchors per cell: the first two share the first cell's centre
        assertEquals(0.5f / 16, c[0], 1e-7);
        assertEquals(0.5f / 16, c[1], 1e-7);
        assertEquals(0.5f / 16, c[2], 1e-7);
        assertEquals(1.5f / 16, c[4], 1e-7);
        // then the 8x8 grid with six anchors per cell (three layers of stride 16, two anchors each)
        int firstCoarse = 2 * 16 * 16;
        for (int a = 0; a < 6; a++) assertEquals(0.5f / 8, c[2 * (firstCoarse + a)], 1e-7);
        assertEquals(1.5f / 8, c[2 * (firstCoarse + 6)], 1e-7);
        assertEquals(7.5f / 8, c[c.length - 2], 1e-7);
        assertEquals(7.5f / 8, c[c.length - 1], 1e-7);
    }

    @Test
    void fullRangeHas2304AnchorsOneEveryFourPixels() {
        float[] c = SsdAnchors.centres(192, new int[] {4}, false);
        assertEquals(2 * 2304, c.length);
        assertEquals(2f / 192, c[0], 1e-7);
        assertEquals(6f / 192, c[2], 1e-7);
        assertEquals(2f / 192, c[3], 1e-7);
        // row-major: anchor 48 starts the second row
        assertEquals(2f / 192, c[2 * 48], 1e-7);
        assertEquals(6f / 192, c[2 * 48 + 1], 1e-7);
    }

    @Test
    void countMatchesCentres() {
        assertEquals(896, SsdAnchors.count(128, new int[] {8, 16, 16, 16}, true));
        assertEquals(2304, SsdAnchors.count(192, new int[] {4}, false));
    }
}
