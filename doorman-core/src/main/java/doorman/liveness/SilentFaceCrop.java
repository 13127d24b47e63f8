package doorman.liveness;

/**
 * The crop MiniFASNet was trained on (Silent-Face's reference preprocessing): the face box scaled about its centre
 * by {@code scale} (2.7 for V2, 4.0 for V1SE), the scale first reduced so the box fits the image, then the box
 * moved (not shrunk) to lie inside it. Pure arithmetic on pixel coordinates; the caller cuts and resizes.
 *
 * @param x left column, inclusive
 * @param y top row, inclusive
 * @param width columns, at least 1
 * @param height rows, at least 1
 */
public record SilentFaceCrop(int x, int y, int width, int height) {

    public static SilentFaceCrop of(int imageWidth, int imageHeight, double boxX, double boxY, double boxWidth,
                                    double boxHeight, double scale) {
        if (imageWidth < 1 || imageHeight < 1) throw new IllegalArgumentException("empty image");
        if (!(boxWidth > 0 && boxHeight > 0)) throw new IllegalArgumentException("empty face box");
        double s = Math.min(scale, Math.min((imageHeight - 1) / boxHeight, (imageWidth - 1) / boxWidth));
        double w = boxWidth * s, h = boxHeight * s;
        double cx = boxX + boxWidth / 2, cy = boxY + boxHeight / 2;
        double left = cx - w / 2, top = cy - h / 2, right = cx + w / 2, bottom = cy + h / 2;
        if (left < 0) {
            right -= left;
            left = 0;
        }
        if (top < 0) {
            bottom -= top;
            top = 0;
        }
        if (right > imageWidth - 1) {
            left -= right - (imageWidth - 1);
            right = imageWidth - 1;
        }
        if (bottom > imageHeight - 1) {
            top -= bottom - (imageHeight - 1);
            bottom = imageHeight - 1;
        }
        int x0 = clamp((int) left, imageWidth - 1), y0 = clamp((int) top, imageHeight - 1);
        int x1 = clamp((int) right, imageWidth - 1), y1 = clamp((int) bottom, imageHeight - 1);
        return new SilentFaceCrop(x0, y0, Math.max(1, x1 - x0 + 1), Math.max(1, y1 - y0 + 1));
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
