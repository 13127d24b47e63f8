package doorman.tflite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * A way to run TFLite models. The runtime ships one, {@link #JAVACPP} (XNNPACK, linux-x86_64 and linux-arm64
 * natives); the lab adds DJL's engine as an x86_64-only cross-check through {@link ServiceLoader}, so the
 * product never links against it.
 */
public interface Backend {

    Backend JAVACPP = new Backend() {
        @Override
        public String name() {
            return "javacpp";
        }

        @Override
        public TfliteModel load(Path model, TfliteOptions options) {
            return JavacppTflite.load(model, options);
        }
    };

    /** The name used on the command line and in reports, e.g. "javacpp". */
    String name();

    TfliteModel load(Path model, TfliteOptions options);

    /** The backend called {@code name}: built in, or one found on the class path (the lab's DJL). */
    static Backend parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        List<String> known = new ArrayList<>(List.of(JAVACPP.name()));
        if (wanted.equals(JAVACPP.name())) return JAVACPP;
        for (Backend b : ServiceLoader.load(Backend.class)) {
            if (b.name().equals(wanted)) return b;
            known.add(b.name());
        }
        throw new IllegalArgumentException("unknown backend '" + name + "' (available: " + String.join(", ", known) + ")");
    }
}
