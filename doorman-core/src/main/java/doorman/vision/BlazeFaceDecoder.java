package doorman.vision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * BlazeFace's post-processing, pure arithmetic: each anchor's logit becomes a score, its offsets a box and six
 * keypoints in the model's input square, which the letterbox maps back to the image; confident faces are merged
 * with weighted NMS, clipped to the image and sorted largest first.
 */
public final class BlazeFaceDecoder {

    static final int VALUES_PER_ANCHOR = 4 + 2 * Face.KEYPOINTS;
    private static final float MERGE_IOU = 0.3f;
    // MediaPipe clips logits to +-100 before the sigmoid, so saturated outputs stay finite
    private static final float LOGIT_CLIP = 100f;

    /**
     * How the image sits inside the square model input: its scaled size, scale per axis and the padding before it.
     * Aspect ratio is kept (a squashed face scores worse); {@code margin} is a black border on every side, as a
     * fraction of the input, which shrinks a face that fills the frame into the model's range.
     */
    public record Letterbox(int width, int height, double scaleX, double scaleY, int padX, int padY) {

        public static Letterbox of(int cols, int rows, int inputSize, double margin) {
            double scale = inputSize * (1 - 2 * margin) / Math.max(cols, rows);
            int width = Math.max(1, (int) Math.round(cols * scale));
            int height = Math.max(1, (int) Math.round(rows * scale));
            return new Letterbox(width, height, (double) width / cols, (double) height / rows,
                    (inputSize - width) / 2, (inputSize - height) / 2);
        }

        float imageX(float normalisedX, int inputSize) {
            return (float) ((normalisedX * inputSize - padX) / scaleX);
        }

        float imageY(float normalisedY, int inputSize) {
            return (float) ((normalisedY * inputSize - padY) / scaleY);
        }
    }

    private final float[] anchors;
    private final int inputSize;
    private final float minScore;

    /** {@code anchors}: x, y centres in [0, 1] of the input square, one pair per anchor. */
    public BlazeFaceDecoder(float[] anchors, int inputSize, float minScore) {
        this.anchors = anchors.clone();
        this.inputSize = inputSize;
        this.minScore = minScore;
    }

    int anchorCount() {
        return anchors.length / 2;
    }

    /** Raw outputs are offsets from the anchor centre in input pixels; sizes are in input pixels too. */
    public List<Face> decode(float[] boxes, float[] logits, Letterbox letterbox) {
        int size = inputSize;
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            float logit = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, logits[i]));
            float score = (float) (1 / (1 + Math.exp(-logit)));
            if (score < minScore) continue;
            float anchorX = anchors[2 * i];
            float anchorY = anchors[2 * i + 1];
            int o = i * VALUES_PER_ANCHOR;
            float centreX = anchorX + boxes[o] / size;
            float centreY = anchorY + boxes[o + 1] / size;
            float halfW = boxes[o + 2] / size / 2;
            float halfH = boxes[o + 3] / size / 2;
            float left = letterbox.imageX(centreX - halfW, size);
            float top = letterbox.imageY(centreY - halfH, size);
            float right = letterbox.imageX(centreX + halfW, size);
            float bottom = letterbox.imageY(centreY + halfH, size);
            float[] keypoints = new float[2 * Face.KEYPOINTS];
            for (int k = 0; k < Face.KEYPOINTS; k++) {
                keypoints[2 * k] = letterbox.imageX(anchorX + boxes[o + 4 + 2 * k] / size, size);
                keypoints[2 * k + 1] = letterbox.imageY(anchorY + boxes[o + 5 + 2 * k] / size, size);
            }
            faces.add(new Face(left, top, right - left, bottom - top, score, keypoints));
        }
        return faces;
    }

    /** Overlapping detections merged, boxes clipped to the image (empty ones dropped), largest first. */
    public List<Face> finish(List<Face> candidates, int width, int height) {
        List<Face> faces = new ArrayList<>();
        for (Face face : WeightedNms.merge(candidates, MERGE_IOU)) {
            Face clipped = clip(face, width, height);
            if (clipped != null) faces.add(clipped);
        }
        faces.sort(Comparator.comparingDouble(Face::area).reversed());
        return faces;
    }

    /** Boxes stay usable as crops; keypoints (ears especially) may lie outside the image and are kept as is. */
    static Face clip(Face face, int width, int height) {
        float left = Math.max(0, face.x());
        float top = Math.max(0, face.y());
        float right = Math.min(width, face.x() + face.width());
        float bottom = Math.min(height, face.y() + face.height());
        if (right <= left || bottom <= top) return null;
        return new Face(left, top, right - left, bottom - top, face.score(), face.keypoints());
    }
}
