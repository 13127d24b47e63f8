package doorman.camera;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Camera frames meet the uploads' pixel limit: a JPEG claiming 12000 x 12000 is refused from its header. */
class CameraFrameLimitTest {

    @TempDir
    Path dir;

    /** A real small JPEG whose frame header is rewritten to claim {@code side} x {@code side} pixels. */
    static byte[] claimingSide(byte[] jpeg, int side) {
        byte[] out = jpeg.clone();
        for (int i = 0; i + 8 < out.length; i++) {
            if ((out[i] & 0xFF) == 0xFF && ((out[i + 1] & 0xFF) == 0xC0 || (out[i + 1] & 0xFF) == 0xC2)) {
                out[i + 5] = (byte) (side >> 8);
                out[i + 6] = (byte) side;
                out[i + 7] = (byte) (side >> 8);
                out[i + 8] = (byte) side;
                return out;
            }
        }
        throw new AssertionError("no SOF marker");
    }

    @Test
    void mjpegFramesOverThePixelLimitAreSkippedBeforeDecoding() throws IOException {
        List<Path> jpegs = TestJpegs.write(dir, 2);
        byte[] huge = claimingSide(Files.readAllBytes(jpegs.get(0)), 12000);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) stream.writeBytes(huge);
        stream.writeBytes(Files.readAllBytes(jpegs.get(1)));
        Path file = Files.write(dir.resolve("stream.mjpeg"), stream.toByteArray());
        List<String> command = new ArrayList<>(List.of("bash", "-c", "cat \"$@\"", "bash", file.toString()));
        try (MjpegCommandSource source = new MjpegCommandSource(command)) {
            Optional<Mat> frame = source.next();
            assertEquals(TestJpegs.width(1), frame.orElseThrow().cols(), "the one honest frame comes through");
            frame.get().release();
            assertEquals(5, source.corruptFrames());
            assertTrue(source.next().isEmpty());
        }
    }

    @Test
    void replayedFilesOverThePixelLimitAreSkipped() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("frames"));
        List<Path> jpegs = TestJpegs.write(dir, 1);
        Files.write(folder.resolve("a-huge.jpg"), claimingSide(Files.readAllBytes(jpegs.get(0)), 12000));
        Files.copy(jpegs.get(0), folder.resolve("b-fine.jpg"));
        try (ReplaySource source = new ReplaySource(List.of(folder.resolve("a-huge.jpg"), folder.resolve("b-fine.jpg")), false)) {
            Mat frame = source.next().orElseThrow();
            assertEquals(TestJpegs.width(0), frame.cols());
            frame.release();
            assertEquals(1, source.skippedFiles());
        }
    }
}
