package doorman.camera;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads OpenCV's bundled native library once per JVM, before the first use of any Mat (camera decoding, vision, the lab).
 *
 * <p>The library is unpacked once into a cache folder and loaded from there on every later start: OpenCV's own loader
 * unpacks it (65 MB on x86_64, 30 MB on arm64) into a fresh temporary folder at each start, which cost about 1.5 s of
 * the daemon's start-up here (docs/performance.md). The folder is {@code -Ddoorman.native.cache} (the systemd unit sets
 * /var/cache/doorman/natives), else {@code $XDG_CACHE_HOME/doorman/natives}, else {@code ~/.cache/doorman/natives};
 * the library's size is part of its folder name, so a new OpenCV never loads an old copy. When the folder cannot be
 * written, OpenCV's own loader is used as before.
 */
public final class OpenCv {

    private static final Logger log = LoggerFactory.getLogger(OpenCv.class);
    static final String LIBRARY = "libopencv_java490.so";

    private OpenCv() {
    }

    /** Safe to call from anywhere, any number of times; only the first call does the work. */
    public static void load() {
        Holder.touch();
    }

    /** Where the cached library lives, for this machine's architecture; null when there is no bundled one. */
    static Path cachedLibrary(Path cacheRoot) throws IOException {
        URL resource = OpenCv.class.getResource(resourcePath());
        if (resource == null) return null;
        URLConnection connection = resource.openConnection();
        long size = connection.getContentLengthLong();
        if (size <= 0) return null;
        Path target = cacheRoot.resolve("opencv-" + size).resolve(LIBRARY);
        if (Files.isRegularFile(target) && Files.size(target) == size) return target;
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), LIBRARY, ".part");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            // another process may finish the same copy first; both copies are the same bytes
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }

    static Path cacheRoot() {
        String configured = System.getProperty("doorman.native.cache");
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("doorman").resolve("natives");
    }

    /** The library inside OpenCV's jar for this OS and architecture, as its own loader names the folders. */
    static String resourcePath() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String folder = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "ARMv8";
            case "arm" -> "ARMv7";
            default -> arch;
        };
        return "/nu/pattern/opencv/linux/" + folder + "/" + LIBRARY;
    }

    private static final class Holder {
        static {
            Path cached = null;
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                try {
                    cached = cachedLibrary(cacheRoot());
                } catch (IOException | RuntimeException e) {
                    log.debug("OpenCV's library cannot be cached ({}); unpacking it for this run", e.toString());
                }
            }
            if (cached != null) System.load(cached.toString());
            else nu.pattern.OpenCV.loadLocally();
        }

        static void touch() {
        }
    }
}
