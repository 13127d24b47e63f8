package doorman.cli;

import doorman.match.Calibration;
import doorman.models.ModelFiles;
import doorman.match.CalibrationJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The margins for an embedding space: {@code calibration-<space>.json} in the models folder, written by
 * {@code doorman calibrate} (committed under models/ and copied there by the build).
 */
public final class Calibrations {

    private Calibrations() {}

    public static Calibration forSpace(ModelFiles models, String space) {
        Path file = CalibrationJson.forSpace(models.dir(), space);
        if (!Files.isRegularFile(file))
            throw new Failures.UserError(Doorman.FAILURE, "no calibration for embedding space " + space + " in " + models.dir()
                    + " (run 'doorman calibrate --root DATASET' for it)");
        try {
            return CalibrationJson.read(file);
        } catch (IOException | RuntimeException e) {
            throw new Failures.UserError(Doorman.FAILURE, "unreadable calibration " + file + ": " + e.getMessage());
        }
    }
}
