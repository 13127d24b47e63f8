package doorman.vision;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WeightedNmsTest {

    private static Face box(float x, float y, float size, float score) {
        float[] k = new float[12];
        for (int i = 0; i < 6; i++) {
            k[2 * i] = x + size / 2;
            k[2 * i + 1] = y + size / 2;
        }
        return new Face(x, y, size, size, score, k);
    }

    @Test
    void overlappingBoxesAreAveragedByScoreAndKeepTheBestScore() {
        List<Face> merged = WeightedNms.merge(List.of(box(0, 0, 100, 0.6f), box(10, 0, 100, 0.9f)), 0.3f);
        assertEquals(1, merged.size());
        Face f = merged.get(0);
        assertEquals(0.9f, f.score(), 1e-6);
        assertEquals((0.6 * 0 + 0.9 * 10) / 1.5, f.x(), 1e-4);
        assertEquals(100, f.width(), 1e-4);
        assertEquals((0.6 * 50 + 0.9 * 60) / 1.5, f.keypointX(Face.NOSE), 1e-4);
    }

    @Test
    void separateBoxesStaySeparateBestFirst() {
        List<Face> merged = WeightedNms.merge(
                List.of(box(0, 0, 50, 0.7f), box(200, 0, 50, 0.8f), box(60, 0, 50, 0.95f)), 0.3f);
        assertEquals(3, merged.size());
        assertEquals(0.95f, merged.get(0).score(), 1e-6);
        assertEquals(0.8f, merged.get(1).score(), 1e-6);
    }

    @Test
    void weakOverlapBelowThresholdIsNotMerged() {
        // a 40 px overlap of two 100 px squares: IoU 4000 / 16000
        List<Face> merged = WeightedNms.merge(List.of(box(0, 0, 100, 0.9f), box(60, 0, 100, 0.8f)), 0.3f);
        assertEquals(2, merged.size());
        assertEquals(0.25f, WeightedNms.iou(box(0, 0, 100, 1), box(60, 0, 100, 1)), 1e-6);
    }

    @Test
    void degenerateBoxesDoNotLoopForever() {
        List<Face> merged = WeightedNms.merge(List.of(box(5, 5, 0, 0.9f), box(5, 5, 0, 0.8f)), 0.3f);
        assertEquals(2, merged.size());
    }
}
