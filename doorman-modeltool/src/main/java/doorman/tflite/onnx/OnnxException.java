package doorman.tflite.onnx;

/** An ONNX file this converter cannot read or convert; the message says what and where. */
public final class OnnxException extends RuntimeException {
    public OnnxException(String message) {
        super(message);
    }
}
