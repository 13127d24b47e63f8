package doorman.liveness;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The liveness model's threshold, chosen by {@code doorman eval liveness --calibrate} on development attack sets and
 * kept in {@code calibration-liveness.json} beside the models: a face whose live score is at least
 * {@code threshold} counts as live. {@code chosenOn} and {@code targetBpcer} record how it was chosen.
 */
public record LivenessCalibration(String model, double threshold, double targetBpcer, String chosenOn) {

    public static final String FILE_NAME = "calibration-liveness.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);

    public LivenessCalibration {
        if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("liveness threshold must lie in (0, 1), got " + threshold);
    }

    public static LivenessCalibration read(Path file) throws IOException {
        try {
            return MAPPER.readValue(file.toFile(), LivenessCalibration.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new NoSuchFileException(file + " (the build copies " + FILE_NAME + " into the models folder)");
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            throw new IOException(file + ": " + e.getCause().getMessage());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not a liveness calibration: " + e.getOriginalMessage());
        }
    }

    public void write(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path tmp = Files.createTempFile(absolute.getParent(), FILE_NAME, ".tmp");
        try {
            MAPPER.writeValue(tmp.toFile(), this);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
