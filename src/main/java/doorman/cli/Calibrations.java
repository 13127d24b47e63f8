package doorman.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.match.Calibration;
import doorman.models.ModelFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The margins for an embedding space: {@code calibration-<space>.json} beside the models (written by
 * {@code doorman calibrate}) wins over the one shipped in the jar.
 */
final class Calibrations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Calibrations() {}

    static Calibration forSpace(ModelFiles models, String space) {
        Path beside = models.dir().resolve("calibration-" + space + ".json");
        try {
            if (Files.isRegularFile(beside)) return JSON.readValue(beside.toFile(), Calibration.class);
            try (InputStream in = Calibrations.class.getResourceAsStream("/calibration/" + space + ".json")) {
                if (in == null)
                    throw new Failures.UserError(Doorman.FAILURE, "no calibration for embedding space " + space
                            + " (run 'doorman calibrate' to make " + beside + ")");
                return JSON.readValue(in, Calibration.class);
            }
        } catch (IOException e) {
            throw new Failures.UserError(Doorman.FAILURE, "unreadable calibration for " + space + ": " + e.getMessage());
        }
    }
}
