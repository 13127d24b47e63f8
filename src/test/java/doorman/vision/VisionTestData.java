package doorman.vision;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Locates the shared photo datasets and the fetched models, skipping a test with a clear reason when absent. */
final class VisionTestData {

    private VisionTestData() {
    }

    static Path dataset(String relative) {
        Path root = Path.of(System.getProperty("doorman.shared", "../shared/datasets"));
        Path path = root.resolve(relative);
        Assumptions.assumeTrue(Files.exists(path),
                "shared dataset " + path.toAbsolutePath() + " is absent (set -Ddoorman.shared=...)");
        return path;
    }

    static Path model(String fileName) {
        Path dir = Path.of(System.getProperty("doorman.models.dir", "models/fetched"));
        Path path = dir.resolve(fileName);
        Assumptions.assumeTrue(Files.isRegularFile(path),
                "model " + path.toAbsolutePath() + " is absent (run the build's model fetch first)");
        return path;
    }

    /** Image files directly inside a folder, sorted by name so failures are reproducible. */
    static List<Path> images(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().matches("(?i).*\\.(jpe?g|png|pgm)$")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + folder, e);
        }
    }
}
