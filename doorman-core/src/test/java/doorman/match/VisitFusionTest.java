package doorman.match;

import doorman.embedding.Embedding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VisitFusionTest {

    @Test
    void meanOfTwoOrthogonalFacesPointsHalfway() {
        Embedding fused = VisitFusion.mean(List.of(new Embedding(new float[]{1, 0}), new Embedding(new float[]{0, 1})));
        float h = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[]{h, h}, fused.values(), 1e-6f);
    }

    @Test
    void identicalFramesFuseToThemselves() {
        Embedding one = Embedding.normalised(new float[]{0.3f, -0.4f, 0.5f});
        assertArrayEquals(one.values(), VisitFusion.mean(List.of(one, one, one)).values(), 1e-6f);
    }

    @Test
    void refusesNothingAndOppositesAndMixedSizes() {
        assertThrows(IllegalArgumentException.class, () -> VisitFusion.mean(List.of()));
        assertThrows(IllegalArgumentException.class, () -> VisitFusion.mean(List.of(new Embedding(new float[]{1, 0}), new Embedding(new float[]{-1, 0}))));
        assertThrows(IllegalArgumentException.class, () -> VisitFusion.mean(List.of(new Embedding(new float[]{1, 0}), new Embedding(new float[]{1, 0, 0}))));
    }
}
