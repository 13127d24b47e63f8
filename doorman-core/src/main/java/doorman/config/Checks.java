package doorman.config;

import java.nio.file.Path;

/** Range checks whose messages name the YAML key, so a bad value stops start-up with a clear line. */
final class Checks {
    private Checks() {
    }

    static int between(String key, int value, int min, int max) {
        if (value < min || value > max)
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
        return value;
    }

    static long between(String key, long value, long min, long max) {
        if (value < min || value > max)
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
        return value;
    }

    static double between(String key, double value, double min, double max) {
        if (!(value >= min && value <= max))
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
        return value;
    }

    static <T> T present(String key, T value) {
        if (value == null) throw new IllegalArgumentException(key + " must be set");
        if (value instanceof String s && s.isBlank()) throw new IllegalArgumentException(key + " must not be empty");
        return value;
    }

    /** Resolves a relative path against the folder of the config file; absolute and null paths pass through. */
    static Path resolve(Path base, Path path) {
        return path == null || path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
    }
}
