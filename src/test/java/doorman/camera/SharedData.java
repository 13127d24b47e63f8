package doorman.camera;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/datasets (or -Ddoorman.shared) and skips the calling test when it is absent. */
final class SharedData {

    private SharedData() {
    }

    static Path datasets() {
        String override = System.getProperty("doorman.shared");
        return override != null ? Path.of(override) : Path.of("..", "shared", "datasets").toAbsolutePath().normalize();
    }

    static Path require(String relative) {
        Path path = datasets().resolve(relative);
        assumeTrue(Files.isDirectory(path), "shared data " + path + " is absent; skipping (set -Ddoorman.shared)");
        return path;
    }
}
