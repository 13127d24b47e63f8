package doorman.vision;

/**
 * BlazeFace's SSD anchors as (x, y) centres in [0, 1] model-input coordinates, in the order the model emits
 * its boxes. BlazeFace uses fixed 1x1 anchors, so a centre is all an anchor needs.
 */
final class SsdAnchors {

    private SsdAnchors() {
    }

    /**
     * @param strides one per layer; consecutive layers with the same stride share one feature map, whose
     *                cells then carry an anchor for each of those layers
     * @param extraAnchorPerLayer MediaPipe's interpolated-scale anchor: a second anchor per layer and cell
     */
    static float[] centres(int inputSize, int[] strides, boolean extraAnchorPerLayer) {
        int total = count(inputSize, strides, extraAnchorPerLayer);
        float[] centres = new float[2 * total];
        int n = 0;
        for (int layer = 0; layer < strides.length; ) {
            int stride = strides[layer];
            int sameStride = 0;
            while (layer < strides.length && strides[layer] == stride) {
                sameStride++;
                layer++;
            }
            int perCell = sameStride * (extraAnchorPerLayer ? 2 : 1);
            int cells = ceilDiv(inputSize, stride);
            for (int y = 0; y < cells; y++) {
                for (int x = 0; x < cells; x++) {
                    for (int a = 0; a < perCell; a++) {
                        centres[n++] = (x + 0.5f) / cells;
                        centres[n++] = (y + 0.5f) / cells;
                    }
                }
            }
        }
        return centres;
    }

    static int count(int inputSize, int[] strides, boolean extraAnchorPerLayer) {
        int total = 0;
        for (int stride : strides) {
            int cells = ceilDiv(inputSize, stride);
            total += cells * cells * (extraAnchorPerLayer ? 2 : 1);
        }
        return total;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
