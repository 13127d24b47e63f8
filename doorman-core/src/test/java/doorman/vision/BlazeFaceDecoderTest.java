package doorman.vision;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** BlazeFace's post-processing on hand-made outputs: no model, no natives. */
class BlazeFaceDecoderTest {

    private static final int SIZE = 128;

    /** Outputs for two anchors: the first a confident face, the second below the score threshold. */
    private static float[][] outputs() {
        float[] boxes = new float[2 * BlazeFaceDecoder.VALUES_PER_ANCHOR];
        // anchor 0 at the input's centre: box 32x48 px shifted 8 px right; right eye 10 px left and 6 px up of it
        boxes[0] = 8;
        boxes[1] = 0;
        boxes[2] = 32;
        boxes[3] = 48;
        boxes[4] = -10;
        boxes[5] = -6;
        float[] logits = {4f, -4f};
        return new float[][]{boxes, logits};
    }

    @Test
    void anAnchorsOffsetsBecomeABoxAndKeypointsInTheImage() {
        BlazeFaceDecoder decoder = new BlazeFaceDecoder(new float[]{0.5f, 0.5f, 0.25f, 0.25f}, SIZE, 0.5f);
        // a 256x128 image: scale 0.5, 32 px of black bars above and below
        BlazeFaceDecoder.Letterbox box = BlazeFaceDecoder.Letterbox.of(256, 128, SIZE, 0);
        assertEquals(new BlazeFaceDecoder.Letterbox(128, 64, 0.5, 0.5, 0, 32), box);
        float[][] out = outputs();
        List<Face> faces = decoder.decode(out[0], out[1], box);
        assertEquals(1, faces.size(), "the second anchor scores sigmoid(-4) = 0.018, below 0.5");
        Face f = faces.get(0);
        assertEquals(1 / (1 + Math.exp(-4)), f.score(), 1e-6);
        // centre in input pixels (72, 64) -> image ((72 - 0) / 0.5, (64 - 32) / 0.5) = (144, 64); size doubles
        assertEquals(144 - 32, f.x(), 1e-4);
        assertEquals(64 - 48, f.y(), 1e-4);
        assertEquals(64, f.width(), 1e-4);
        assertEquals(96, f.height(), 1e-4);
        // right eye: anchor (64, 64) + (-10, -6) input px -> image (108, 52)
        assertEquals(108, f.keypoints()[0], 1e-4);
        assertEquals(52, f.keypoints()[1], 1e-4);
    }

    @Test
    void finishingClipsToTheImageDropsEmptyBoxesAndSortsLargestFirst() {
        BlazeFaceDecoder decoder = new BlazeFaceDecoder(new float[]{0.5f, 0.5f}, SIZE, 0.5f);
        float[] kp = new float[2 * Face.KEYPOINTS];
        Face small = new Face(10, 10, 20, 20, 0.9f, kp);
        Face overTheEdge = new Face(85, 50, 40, 40, 0.8f, kp);
        Face outside = new Face(200, 200, 10, 10, 0.9f, kp);
        List<Face> faces = decoder.finish(List.of(small, overTheEdge, outside), 100, 100);
        assertEquals(2, faces.size(), "the face outside the image is dropped");
        assertEquals(15, faces.get(0).width(), 1e-6, "clipped at x = 100, and at 15x40 larger than 20x20: first");
        assertEquals(85, faces.get(0).x(), 1e-6);
        assertEquals(20, faces.get(1).width(), 1e-6);
    }
}
