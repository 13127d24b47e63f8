package doorman.liveness;

import doorman.models.ModelJson;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The liveness model's threshold, chosen by {@code doorman eval liveness --calibrate} on development attack sets and
 * kept in {@code calibration-liveness.json} beside the models: a face whose live score is at least
 * {@code threshold} counts as live. {@code chosenOn} and {@code targetBpcer} record how it was chosen.
 */
public record LivenessCalibration(String model, double threshold, double targetBpcer, String chosenOn) {

    public static final String FILE_NAME = "calibration-liveness.json";


    public LivenessCalibration {
        if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("liveness threshold must lie in (0, 1), got " + threshold);
    }

    public static LivenessCalibration read(Path file) throws IOException {
        try {
            return ModelJson.MAPPER.readValue(file.toFile(), LivenessCalibration.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new NoSuchFileException(file + " (the build copies " + FILE_NAME + " into the models folder)");
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            throw new IOException(file + ": " + e.getCause().getMessage());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not a liveness calibration: " + e.getOriginalMessage());
        }
    }

    public void write(Path file) throws IOException {
        ModelJson.writeAtomically(this, file);
    }
}
