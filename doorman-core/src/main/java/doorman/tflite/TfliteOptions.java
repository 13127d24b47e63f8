package doorman.tflite;

/**
 * How to load a model: interpreter threads, XNNPACK on or off, and an optional input shape to resize to
 * (null keeps the model's own).
 */
public record TfliteOptions(int threads, boolean xnnpack, int[] inputShape) {

    public TfliteOptions {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        inputShape = inputShape == null ? null : inputShape.clone();
    }

    public static TfliteOptions defaults() {
        return new TfliteOptions(1, true, null);
    }

    public TfliteOptions withThreads(int n) {
        return new TfliteOptions(n, xnnpack, inputShape);
    }

    public TfliteOptions withInputShape(int... shape) {
        return new TfliteOptions(threads, xnnpack, shape);
    }
}
