package doorman.match;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the door decides, apart from who is enrolled: the stranger curve of the encoder, the target stranger accept
 * per visit ({@code match.stranger-accept-per-visit}) and what a person is compared by.
 */
public record DoorSettings(StrangerCurves curves, double strangerAcceptPerVisit, DoorDecision.References references) {

    private static final Logger log = LoggerFactory.getLogger(DoorSettings.class);

    /** The default target: a consumer face lock's promise of at most one stranger let in per 10 000 visits. */
    public static final double DEFAULT_TARGET = 1e-4;

    public DoorSettings {
        Objects.requireNonNull(curves, "curves");
        Objects.requireNonNull(references, "references");
        if (!(strangerAcceptPerVisit > 0 && strangerAcceptPerVisit < 1))
            throw new IllegalArgumentException("stranger accept per visit must be in (0, 1), got " + strangerAcceptPerVisit);
    }

    /**
     * The curve {@code stranger-curve-<encoder>.json} from the models folder. Without one (an encoder never measured
     * for the door) the calibration's single point stands in: its accept distance at its 1:1 false-accept rate, so
     * the door keeps the old margin and says honestly how much a household multiplies it.
     */
    public static DoorSettings load(Path modelsDir, Calibration calibration, double strangerAcceptPerVisit) {
        Path file = StrangerCurve.forSpace(modelsDir, calibration.encoder());
        StrangerCurves curves;
        if (Files.isRegularFile(file)) {
            try {
                curves = StrangerCurves.read(file);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable stranger curve " + file + ": " + e.getMessage(), e);
            }
            if (!curves.encoder().equals(calibration.encoder()))
                throw new IllegalStateException(file + " is for encoder " + curves.encoder() + ", not " + calibration.encoder());
        } else {
            log.warn("no stranger curve {}; the door keeps the 1:1 accept distance {}", file, calibration.acceptDistance());
            curves = StrangerCurves.of(fromCalibration(calibration));
        }
        return new DoorSettings(curves, strangerAcceptPerVisit, DoorDecision.References.CENTROID);
    }

    /** The calibration's one known point of the curve. */
    public static StrangerCurve fromCalibration(Calibration calibration) {
        return new StrangerCurve(calibration.encoder(), Math.round(1 / calibration.targetFar()),
                new double[]{calibration.acceptDistance()}, new double[]{calibration.targetFar()});
    }
}
