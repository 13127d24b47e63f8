package doorman.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which BlazeFace model finds faces, and the score a detection needs to count. */
public record DetectionConfig(Range range, double minScore) {

    /** {@code short}: faces within about 2 m, the usual door camera; {@code full}: faces up to about 5 m. */
    public enum Range {
        @JsonProperty("short") SHORT,
        @JsonProperty("full") FULL
    }

    public DetectionConfig {
        Checks.present("detection.range", range);
        Checks.between("detection.min-score", minScore, 0.05, 0.99);
    }

    public static DetectionConfig defaults() {
        return new DetectionConfig(Range.FULL, 0.5);
    }
}
