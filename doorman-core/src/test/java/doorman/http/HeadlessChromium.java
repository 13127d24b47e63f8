package doorman.http;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Debian's chromium driven through its chromedriver, headless, for the page's browser tests. The background
 * networking flags matter: this machine's closed network refuses Chromium's own connections, many at a time.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** Skips the calling test with a clear message when chromium or chromedriver is not installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(browser().isPresent() && driver().isPresent(),
                "chromium and chromedriver are not installed (run .ci/install-browser); skipping the browser test");
    }

    /**
     * A browser with a fresh profile in {@code profile} and a window of the given size (a phone's width, say).
     * {@code quit()} ends it and its chromedriver (Selenium stops a driver service on quit).
     */
    static WebDriver open(Path profile, int width, int height) {
        assumeInstalled();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser().orElseThrow().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver().orElseThrow().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> browser() {
        return onPath("chromium", "chromium-browser");
    }

    private static Optional<Path> driver() {
        return onPath("chromedriver");
    }

    private static Optional<Path> onPath(String... names) {
        for (String name : names)
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        return Optional.empty();
    }
}
