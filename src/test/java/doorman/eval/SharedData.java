package doorman.eval;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared datasets folder (../shared/datasets, or -Ddoorman.shared=...); tests skip when a part is absent. */
final class SharedData {

    private SharedData() {
    }

    static Path require(String relative) {
        Path base = Path.of(System.getProperty("doorman.shared", "../shared/datasets"));
        Path p = base.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "shared dataset not found, skipping: " + p.toAbsolutePath()
                + " (set -Ddoorman.shared=<datasets folder>)");
        return p;
    }
}
