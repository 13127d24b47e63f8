package doorman;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The shared photo datasets (../shared/datasets, or -Ddoorman.shared=...) and the built models; a test that
 * needs an absent one is skipped with the path it looked for.
 */
public final class TestData {

    private TestData() {}

    /** The datasets folder, whether or not it exists. */
    public static Path root() {
        return Path.of(System.getProperty("doorman.shared", "../shared/datasets"));
    }

    public static Path dataset(String relative) {
        Path path = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(path),
                "shared dataset " + path.toAbsolutePath() + " is absent, skipping (set -Ddoorman.shared=<datasets folder>)");
        return path;
    }

    public static Path model(String fileName) {
        Path dir = Path.of(System.getProperty("doorman.models.dir", "models/fetched"));
        Path path = dir.resolve(fileName);
        Assumptions.assumeTrue(Files.isRegularFile(path),
                "model " + path.toAbsolutePath() + " is absent, skipping (the build's model fetch makes it)");
        return path;
    }

    /** Image files directly inside a folder, sorted by name so failures are reproducible. */
    public static List<Path> images(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().matches("(?i).*\\.(jpe?g|png|pgm)$")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + folder, e);
        }
    }
}
