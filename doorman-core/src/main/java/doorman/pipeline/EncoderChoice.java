package doorman.pipeline;

import doorman.models.ModelFiles;

import java.util.Locale;

/**
 * Which embedding space to use: MobileFaceNet's own 192-d output, or our 128-d triplet head on top of it
 * (one TFLite file, see {@code doorman train}). Templates remember their space, so the two never mix.
 */
public enum EncoderChoice {
    RAW_192("mobilefacenet-192", ModelFiles.MOBILEFACENET),
    HEAD_128("doorman-128", ModelFiles.ENCODER_128);

    private final String spaceName;
    private final String modelFile;

    EncoderChoice(String spaceName, String modelFile) {
        this.spaceName = spaceName;
        this.modelFile = modelFile;
    }

    public String spaceName() {
        return spaceName;
    }

    public String modelFile() {
        return modelFile;
    }

    public static EncoderChoice parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "192", "raw", "raw-192", "mobilefacenet-192" -> RAW_192;
            case "128", "head", "head-128", "doorman-128" -> HEAD_128;
            default -> throw new IllegalArgumentException("unknown encoder '" + text + "' (use 128 or 192)");
        };
    }
}
