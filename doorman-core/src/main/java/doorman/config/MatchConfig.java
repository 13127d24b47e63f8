package doorman.config;

import java.nio.file.Path;

/**
 * Which encoder makes embeddings (128: our own head, 192: MobileFaceNet), an optional calibration file, and the
 * share of strangers' visits the door may let in ({@code stranger-accept-per-visit}); the accept distance follows
 * from it and the number of people enrolled.
 */
public record MatchConfig(int encoder, Path calibration, double strangerAcceptPerVisit) {

    public MatchConfig {
        if (encoder != 128 && encoder != 192)
            throw new IllegalArgumentException("match.encoder must be 128 or 192, got " + encoder);
        Checks.between("match.stranger-accept-per-visit", strangerAcceptPerVisit, 1e-9, 1e-2);
    }

    public static MatchConfig defaults() {
        return new MatchConfig(128, null, 1e-4);
    }

    MatchConfig resolvedAgainst(Path base) {
        return new MatchConfig(encoder, Checks.resolve(base, calibration), strangerAcceptPerVisit);
    }
}
