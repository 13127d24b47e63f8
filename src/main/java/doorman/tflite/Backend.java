package doorman.tflite;

import java.nio.file.Path;
import java.util.Locale;

/** The TFLite backends; JavaCPP is the default (XNNPACK, arm64 natives), DJL the x86_64-only cross-check. */
public enum Backend {
    JAVACPP, DJL;

    public TfliteModel load(Path model, TfliteOptions options) {
        return switch (this) {
            case JAVACPP -> JavacppTflite.load(model, options);
            case DJL -> DjlTflite.load(model, options);
        };
    }

    public static Backend parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown backend '" + name + "' (use javacpp or djl)");
        }
    }
}
