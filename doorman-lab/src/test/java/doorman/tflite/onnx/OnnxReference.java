package doorman.tflite.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import doorman.tflite.Backend;
import doorman.tflite.TfliteModel;
import doorman.tflite.TfliteOptions;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Runs an ONNX model with ONNX Runtime (test scope only) and its conversion with TFLite, for comparisons. */
public final class OnnxReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final TfliteModel tflite;
    private final Path converted;

    public OnnxReference(byte[] onnx, Path workDir) throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            session = env.createSession(onnx, options);
        }
        inputName = session.getInputNames().iterator().next();
        converted = Files.createTempFile(workDir, "converted", ".tflite");
        Files.write(converted, OnnxToTflite.convert(onnx));
        tflite = Backend.JAVACPP.load(converted, TfliteOptions.defaults());
    }

    public TfliteModel tflite() {
        return tflite;
    }

    /** ONNX Runtime's first output for an NCHW input. */
    public float[] onnx(float[] nchw, long[] shape) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), shape);
             OrtSession.Result result = session.run(Map.of(inputName, input))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            FloatBuffer fb = out.getFloatBuffer();
            float[] values = new float[fb.remaining()];
            fb.get(values);
            return values;
        }
    }

    /** The converted model's first output for the same input given in NCHW (converted to NHWC here). */
    public float[] converted(float[] nchw, long[] shape) {
        int[] s = {(int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]};
        return tflite.run(OnnxToTflite.nchwToNhwc(nchw, s))[0];
    }

    public static double maxAbsDifference(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    @Override
    public void close() throws Exception {
        tflite.close();
        session.close();
        Files.deleteIfExists(converted);
    }
}
