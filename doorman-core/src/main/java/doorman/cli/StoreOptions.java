package doorman.cli;

import doorman.gallery.Gallery;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the gallery lives: --data, else $DOORMAN_DATA, else ~/.local/share/doorman. */
final class StoreOptions {

    @Option(names = "--data", description = "Data directory (default: $DOORMAN_DATA or ~/.local/share/doorman).")
    Path data;

    Path dataDir() {
        if (data != null) return data;
        String env = System.getenv("DOORMAN_DATA");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".local", "share", "doorman");
    }

    Gallery open() {
        return Gallery.open(dataDir());
    }
}
