package doorman.liveness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LivenessCalibrationTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReadsBack() throws IOException {
        Path file = dir.resolve(LivenessCalibration.FILE_NAME);
        LivenessCalibration c = new LivenessCalibration("minifasnet-v2+v1se", 0.387, 0.02, "nuaa-train + celeba-spoof-subset");
        c.write(file);
        assertEquals(c, LivenessCalibration.read(file));
    }

    @Test
    void aTypoOrAMissingFieldIsRefusedNotReadAsZero() throws IOException {
        Path file = dir.resolve(LivenessCalibration.FILE_NAME);
        Files.writeString(file, "{\"model\":\"m\",\"treshold\":0.4,\"targetBpcer\":0.02,\"chosenOn\":\"x\"}");
        IOException e = assertThrows(IOException.class, () -> LivenessCalibration.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aThresholdOutsideZeroToOneIsRefused() throws IOException {
        Path file = dir.resolve(LivenessCalibration.FILE_NAME);
        Files.writeString(file, "{\"model\":\"m\",\"threshold\":1.5,\"targetBpcer\":0.02,\"chosenOn\":\"x\"}");
        IOException e = assertThrows(IOException.class, () -> LivenessCalibration.read(file));
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
    }

    @Test
    void aMissingFileSaysWhereItShouldBe() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> LivenessCalibration.read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains(LivenessCalibration.FILE_NAME), e.getMessage());
    }
}
