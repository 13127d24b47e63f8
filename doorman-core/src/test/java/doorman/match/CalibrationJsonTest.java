package doorman.match;

import doorman.match.Calibration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationJsonTest {

    @TempDir
    Path dir;

    @Test
    void writesBesideTheModelAndReadsBack() throws IOException {
        Calibration c = new Calibration("mobilefacenet-128", -35.5, 35.25, 0.93, 1.08, 1e-3);
        Path file = CalibrationJson.besideModel(dir.resolve("models/encoder128.tflite"));
        assertEquals(dir.toAbsolutePath().resolve("models/calibration.json"), file);
        CalibrationJson.write(c, file);
        assertEquals(c, CalibrationJson.read(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"acceptDistance\" : 0.93"), json);
    }

    @Test
    void namesTheFileTheCommandLineLooksForPerEmbeddingSpace() {
        assertEquals(dir.resolve("calibration-doorman-128.json"), CalibrationJson.forSpace(dir, "doorman-128"));
        assertEquals(dir.resolve("calibration-mobilefacenet-192+flip.json"),
                CalibrationJson.forSpace(dir, "mobilefacenet-192+flip"));
        assertThrows(IllegalArgumentException.class, () -> CalibrationJson.forSpace(dir, "../escape"));
    }

    @Test
    void refusesIncompleteOrInconsistentFiles() throws IOException {
        Path file = dir.resolve(CalibrationJson.FILE_NAME);
        assertThrows(NoSuchFileException.class, () -> CalibrationJson.read(file));

        Files.writeString(file, "{\"encoder\":\"e\",\"slope\":-3,\"intercept\":2,\"acceptDistance\":0.9,\"targetFar\":0.001}");
        IOException missing = assertThrows(IOException.class, () -> CalibrationJson.read(file));
        assertTrue(missing.getMessage().contains("unknownDistance"), missing.getMessage());

        Files.writeString(file, "{\"encoder\":\"e\",\"slope\":-3,\"intercept\":2,\"acceptDistance\":0.9,"
                + "\"unknownDistance\":0.8,\"targetFar\":0.001}");
        IOException inverted = assertThrows(IOException.class, () -> CalibrationJson.read(file));
        assertTrue(inverted.getMessage().contains("accept distance <= unknown distance"), inverted.getMessage());

        Files.writeString(file, "{\"encoder\":\"e\",\"slope\":-3,\"intercept\":2,\"acceptDistance\":0.9,"
                + "\"unknownDistance\":1.1,\"targetFar\":0.001,\"acceptDistanse\":0.5}");
        IOException typo = assertThrows(IOException.class, () -> CalibrationJson.read(file));
        assertTrue(typo.getMessage().contains("acceptDistanse"), typo.getMessage());

        Files.writeString(file, "{\"encoder\":\"e\",\"slope\":3,\"intercept\":2,\"acceptDistance\":0.9,"
                + "\"unknownDistance\":1.1,\"targetFar\":0.001}");
        IOException slope = assertThrows(IOException.class, () -> CalibrationJson.read(file));
        assertTrue(slope.getMessage().contains("slope must be negative"), slope.getMessage());
    }
}
