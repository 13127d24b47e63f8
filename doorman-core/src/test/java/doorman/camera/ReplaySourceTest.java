package doorman.camera;

import doorman.TestData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

class ReplaySourceTest {

    @Test
    void replaysSampleFolderInNameOrderThenEnds() throws IOException {
        Path folder = TestData.dataset("samples/group-photos");
        List<Path> expected;
        try (Stream<Path> files = Files.list(folder)) {
            expected = files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        List<String> sizes = new ArrayList<>();
        try (ReplaySource source = ReplaySource.ofFolder(folder, false)) {
            for (Optional<Mat> frame = source.next(); frame.isPresent(); frame = source.next()) {
                Mat image = frame.get();
                try {
                    assertEquals(3, image.channels());
                    sizes.add(image.cols() + "x" + image.rows());
                } finally {
                    image.release();
                }
            }
            assertTrue(source.next().isEmpty(), "stays ended");
        }
        assertEquals(expected.size(), sizes.size());
        Mat first = Imgcodecs.imread(expected.get(0).toString());
        try {
            assertEquals(first.cols() + "x" + first.rows(), sizes.get(0));
        } finally {
            first.release();
        }
    }

    @Test
    void loopingStartsOverAndSkipsUnreadableFiles(@TempDir Path dir) throws IOException {
        Path faces = TestData.dataset("samples/bbt/amy");
        Path good;
        try (Stream<Path> files = Files.list(faces)) {
            good = files.sorted().findFirst().orElseThrow();
        }
        Path broken = Files.writeString(dir.resolve("broken.jpg"), "not an image");
        try (ReplaySource source = new ReplaySource(List.of(good, broken), true)) {
            for (int i = 0; i < 5; i++) {
                Mat image = source.next().orElseThrow();
                image.release();
            }
            assertEquals(4, source.skippedFiles(), "the broken file is met once per pass");
        }
    }

    @Test
    void loopOverNothingReadableEndsInsteadOfSpinning(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.png"), "nope");
        try (ReplaySource source = new ReplaySource(List.of(broken), true)) {
            assertFalse(source.next().isPresent());
        }
    }

    @Test
    void folderWithoutImagesIsAClearError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        CameraException e = assertThrows(CameraException.class, () -> ReplaySource.ofFolder(dir, false));
        assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
    }
}
