package doorman.config;

import java.nio.file.Path;

/** Which encoder makes embeddings (128: our own head, 192: MobileFaceNet) and an optional calibration file. */
public record MatchConfig(int encoder, Path calibration) {

    public MatchConfig {
        if (encoder != 128 && encoder != 192)
            throw new IllegalArgumentException("match.encoder must be 128 or 192, got " + encoder);
    }

    public static MatchConfig defaults() {
        return new MatchConfig(128, null);
    }

    MatchConfig resolvedAgainst(Path base) {
        return new MatchConfig(encoder, Checks.resolve(base, calibration));
    }
}
