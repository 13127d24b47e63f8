package doorman.match;

/**
 * Where the margins lie for one encoder, learned from pairs of faces (see {@code doorman calibrate}).
 * A logistic unit on the pair distance gives P(same person) = 1 / (1 + exp(-(intercept + slope * d)));
 * the slope is negative since larger distances mean different people.
 * A probe at distance ≤ {@code acceptDistance} is accepted (chosen for {@code targetFar}); beyond
 * {@code unknownDistance} it is a stranger; between the two it is uncertain: neither accepted nor a stranger.
 */
public record Calibration(String encoder, double slope, double intercept, double acceptDistance,
                          double unknownDistance, double targetFar) {

    public Calibration {
        if (!(acceptDistance > 0) || !(unknownDistance >= acceptDistance))
            throw new IllegalArgumentException("need 0 < accept distance <= unknown distance, got "
                    + acceptDistance + " and " + unknownDistance);
    }

    public double probabilitySame(double distance) {
        return 1 / (1 + Math.exp(-(intercept + slope * distance)));
    }
}
