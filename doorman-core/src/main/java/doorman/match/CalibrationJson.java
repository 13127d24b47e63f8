package doorman.match;

import doorman.models.ModelJson;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes a {@link Calibration} as JSON beside its model: {@code calibration.json} next to a model
 * file, or {@code calibration-<space>.json} in the models folder, the name the CLI looks for. Reading is strict:
 * every field must be present, unknown fields and non-finite numbers are refused, so a hand-edited typo
 * cannot silently turn into a margin of zero.
 */
public final class CalibrationJson {

    public static final String FILE_NAME = "calibration.json";


    private CalibrationJson() {
    }

    /** Where the calibration of {@code model} lives: {@value #FILE_NAME} in the model's directory. */
    public static Path besideModel(Path model) {
        return model.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    /** {@code calibration-<space>.json} in {@code modelsDir}, e.g. {@code calibration-doorman-128.json}. */
    public static Path forSpace(Path modelsDir, String space) {
        if (!space.matches("[A-Za-z0-9+._-]+")) throw new IllegalArgumentException("odd embedding space name '" + space + "'");
        return modelsDir.resolve("calibration-" + space + ".json");
    }

    public static void write(Calibration calibration, Path file) throws IOException {
        check(calibration, file);
        ModelJson.writeAtomically(calibration, file);
    }

    public static Calibration read(Path file) throws IOException {
        Calibration calibration;
        try {
            calibration = ModelJson.MAPPER.readValue(Files.readAllBytes(file), Calibration.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no calibration; run the calibrate command first");
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IOException(file + " is not a valid calibration: " + firstLine(cause.getMessage()), e);
        }
        check(calibration, file);
        return calibration;
    }

    private static void check(Calibration c, Path file) throws IOException {
        if (c.encoder() == null || c.encoder().isBlank()) throw new IOException(file + ": calibration names no encoder");
        for (double v : new double[]{c.slope(), c.intercept(), c.acceptDistance(), c.unknownDistance(), c.targetFar()})
            if (!Double.isFinite(v)) throw new IOException(file + ": calibration has a non-finite number " + v);
        if (!(c.slope() < 0)) throw new IOException(file + ": calibration slope must be negative, got " + c.slope());
        if (!(c.targetFar() > 0 && c.targetFar() < 1))
            throw new IOException(file + ": target FAR must be in (0, 1), got " + c.targetFar());
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
