package doorman.tflite;

/**
 * One loaded TFLite model with a single float input. Not thread-safe: one instance per thread.
 * Outputs are copied out of the interpreter at once, so a later {@link #run} never changes them.
 */
public interface TfliteModel extends AutoCloseable {

    /** Runs the model on one input (row-major, the input tensor's shape) and returns each output, in order. */
    float[][] run(float[] input);

    int[] inputShape();

    int[][] outputShapes();

    /** Which backend runs it, for reports ("javacpp", "djl"). */
    String backend();

    @Override
    void close();
}
