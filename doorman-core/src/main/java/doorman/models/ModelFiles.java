package doorman.models;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the model files live: {@code -Ddoorman.models.dir}, else {@code $DOORMAN_MODELS}, else
 * {@code models/fetched} under the working directory (a source checkout after the build).
 */
public record ModelFiles(Path dir) {

    public static final String MOBILEFACENET = "mobilefacenet-b1.tflite";
    public static final String ENCODER_128 = "encoder-128.tflite";
    public static final String ANTI_SPOOFING = "FaceAntiSpoofing.tflite";
    /** Silent-Face MiniFASNet liveness models, converted from the committed ONNX at build time. */
    public static final String MINIFASNET_V2 = "minifasnet-v2.tflite";
    public static final String MINIFASNET_V1SE = "minifasnet-v1se.tflite";

    public static ModelFiles locate() {
        String prop = System.getProperty("doorman.models.dir");
        if (prop != null && !prop.isBlank()) return new ModelFiles(Path.of(prop));
        String env = System.getenv("DOORMAN_MODELS");
        if (env != null && !env.isBlank()) return new ModelFiles(Path.of(env));
        return new ModelFiles(Path.of("models", "fetched"));
    }

    /** The named model, or an exception that says how to get it. */
    public Path require(String name) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p))
            throw new MissingModelException("model " + name + " not found in " + dir.toAbsolutePath()
                    + " (build with 'mvn package', which fetches and derives the models, or set DOORMAN_MODELS)");
        return p;
    }

    public static final class MissingModelException extends RuntimeException {
        public MissingModelException(String message) {
            super(message);
        }
    }
}
