package doorman.eval;

import doorman.embedding.Embedding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PixelBaselineTest {

    @Test
    void brightnessAndContrastDoNotMoveTheVectorButAnotherPatternDoes() {
        byte[] a = new byte[16], brighter = new byte[16], other = new byte[16];
        for (int i = 0; i < 16; i++) {
            a[i] = (byte) (8 * i);
            brighter[i] = (byte) (12 * i + 40); // 1.5 times the contrast, 40 levels brighter: same pattern
            other[i] = (byte) (8 * ((i * 7) % 16));
        }
        Embedding va = PixelBaseline.vector(a), vb = PixelBaseline.vector(brighter), vo = PixelBaseline.vector(other);
        assertEquals(0, Embedding.squaredDistance(va.values(), vb.values()), 1e-6);
        assertTrue(Embedding.squaredDistance(va.values(), vo.values()) > 0.5);
        double norm = 0;
        for (float x : va.values()) norm += x * x;
        assertEquals(1, norm, 1e-5);
    }
}
