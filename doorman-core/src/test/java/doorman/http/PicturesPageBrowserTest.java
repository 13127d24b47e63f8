package doorman.http;

import doorman.TestData;
import doorman.config.DoormanConfig;
import doorman.daemon.DoorDaemon;
import doorman.models.ModelFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The pictures on the web page, end to end through the product: a real door daemon ({@code doorman run}'s code, dry-run
 * lock, liveness off because the photos are not live) watches a replayed camera on which a stranger stands, while
 * headless Chromium enrolls 20 LFW people (one ordinary photo each, different people) through the page the daemon
 * serves, with the door's default quality gate: when it refuses a photo (LFW holds blurry press scans) the test
 * uploads that person's next photo, as an owner would, and prints how many were refused. The people list must show 20 thumbnails, the capture panel the door camera's live view, and the events list
 * the stranger's refused visit with its snapshot. Screenshots land in target/screenshots/ (pictures-people.png,
 * pictures-events.png, pictures-capture.png). Skips when chromium or the LFW photos are absent.
 */
class PicturesPageBrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots");
    static final int PEOPLE = 20;

    @TempDir
    Path dir;

    @Test
    void twentyLfwPhotosEnrollWithThumbnailsAndTheStrangersVisitShowsItsSnapshot() throws Exception {
        HeadlessChromium.assumeInstalled();
        Path lfw = TestData.dataset("lfw-train");
        ModelFiles models = ModelFiles.locate();
        Assumptions.assumeTrue(Files.isRegularFile(models.dir().resolve(ModelFiles.MOBILEFACENET)), "models absent: build first");

        // 20 different people with a few photos each (a spare for a refused one); the next five stand at the door as
        // strangers (several, so that at least one face is sharp enough for the door to report)
        List<Path> folders;
        try (Stream<Path> s = Files.list(lfw)) {
            folders = s.filter(Files::isDirectory).sorted().filter(f -> TestData.images(f).size() >= 3).limit(PEOPLE + 5).toList();
        }
        Path door = Files.createDirectories(dir.resolve("door"));
        for (Path stranger : folders.subList(PEOPLE, PEOPLE + 5))
            Files.copy(TestData.images(stranger).get(0), door.resolve(stranger.getFileName() + ".jpg"));

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DoormanConfig config = DoormanConfig.parse("""
                data-dir: %s
                camera: {type: replay, path: %s, loop: true, fps-cap: 2}
                liveness: {enabled: false, i-understand: true}
                policy: {time-zone: UTC, stranger-event-interval-ms: 5000}
                lock: {type: dry-run}
                http: {enabled: true, host: 127.0.0.1, port: %d}
                """.formatted(dir.resolve("data"), door, port), "test config");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (DoorDaemon daemon = DoorDaemon.fromConfig(config, models, quiet)) {
            Thread loop = new Thread(() -> daemon.run(0), "door-loop");
            loop.start();
            try {
                drive(daemon.api().orElseThrow().baseUrl(), Files.readString(dir.resolve("data").resolve(ApiToken.FILE_NAME)).strip(),
                        folders.subList(0, PEOPLE));
            } finally {
                daemon.stop();
                loop.join(10_000);
            }
        }
    }

    private void drive(String base, String token, List<Path> folders) throws IOException {
        // a phone's width, tall enough to show the whole list
        WebDriver browser = HeadlessChromium.open(dir.resolve("chromium-profile"), 412, 3200);
        TestClient api = new TestClient(base, token);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(base + "/");
            browser.findElement(By.id("token")).sendKeys(token);
            browser.findElement(By.id("sign-in")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));

            List<String> refused = new ArrayList<>();
            for (Path folder : folders) {
                String name = folder.getFileName().toString().replace('_', ' ');
                browser.findElement(By.id("new-person-name")).sendKeys(name);
                browser.findElement(By.id("add-person")).click();
                wait.until(ExpectedConditions.textToBe(By.id("person-name"), name));
                boolean enrolled = false;
                for (Path photo : TestData.images(folder).subList(0, 3)) {
                    ((JavascriptExecutor) browser).executeScript("document.getElementById('notice').hidden = true;");
                    browser.findElement(By.id("photo-file")).sendKeys(photo.toRealPath().toString());
                    browser.findElement(By.id("upload")).click();
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
                    wait.until(d -> d.findElement(By.id("upload")).isEnabled());
                    String notice = browser.findElement(By.id("notice")).getText();
                    if (notice.equals("Photo added for " + name + ".")) {
                        enrolled = true;
                        break;
                    }
                    refused.add(photo.getFileName() + ": " + notice);
                }
                assertTrue(enrolled, "none of three photos of " + name + " enrolled: " + refused);
            }
            System.out.println("photos refused on the way (the next photo of the person was used): " + refused.size());
            refused.forEach(r -> System.out.println("  " + r));

            // every person listed with the picture of their enrolled face, fetched with the token
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#people img.thumb"), PEOPLE));
            wait.until(d -> loadedImages(d, "#people img.thumb") == PEOPLE);
            JsonNode people = TestClient.body(api.get("/api/people"));
            assertEquals(PEOPLE, people.size());
            List<Integer> sizes = new ArrayList<>();
            for (JsonNode p : people) {
                assertFalse(p.get("thumbnailFace").isNull(), p.toString());
                assertEquals(1, p.get("faces").asInt());
                sizes.add(jpegBytes(base, token, "/api/people/" + p.get("id").asLong() + "/faces/"
                        + p.get("thumbnailFace").asLong() + "/thumbnail"));
            }
            sizes.sort(null);
            System.out.println("thumbnail bytes: min " + sizes.get(0) + ", median " + sizes.get(sizes.size() / 2)
                    + ", max " + sizes.get(sizes.size() - 1));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#photos img.thumb"), 1));
            for (WebElement img : browser.findElements(By.cssSelector("#people img.thumb")))
                assertTrue(img.getAttribute("src").startsWith("blob:"), "the token never goes into a URL");
            shoot(browser.findElement(By.xpath("//section[.//*[@id='people']]")), "pictures-people.png");

            // the capture panel shows the door camera live (the replayed stranger)
            browser.findElement(By.id("capture")).click();
            wait.until(d -> loadedImages(d, "#preview") == 1);
            shoot(browser.findElement(By.id("person-panel")), "pictures-capture.png");
            browser.findElement(By.id("capture-close")).click();

            // the stranger at the door was refused and the door kept a snapshot of the face
            WebElement before = browser.findElement(By.cssSelector("#events tbody tr"));
            browser.findElement(By.id("refresh-events")).click();
            wait.until(ExpectedConditions.stalenessOf(before));
            wait.until(d -> loadedImages(d, "#events tbody tr td img.thumb") > 0);
            JsonNode events = TestClient.body(api.get("/api/events?outcome=stranger-event")).get("events");
            assertTrue(events.size() >= 1);
            JsonNode first = events.get(0);
            assertTrue(first.get("snapshot").asBoolean(), first.toString());
            assertTrue(first.get("personName").isNull(), "a stranger is never named");
            System.out.println("snapshot bytes: " + jpegBytes(base, token, "/api/events/" + first.get("id").asLong() + "/snapshot"));
            shoot(browser.findElement(By.xpath("//section[.//*[@id='events']]")), "pictures-events.png");
        } finally {
            browser.quit();
        }
    }

    /** The size of a picture the API serves, checked to be a JPEG that is not cached. */
    private static int jpegBytes(String base, String token, String path) {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                    .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), path);
            assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""), path);
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), path);
            assertEquals((byte) 0xFF, r.body()[0]);
            assertEquals((byte) 0xD8, r.body()[1]);
            return r.body().length;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many of the matching images have finished loading a real picture. */
    private static long loadedImages(WebDriver browser, String css) {
        Object n = ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll(arguments[0])].filter(i => i.complete && i.naturalWidth > 0).length;", css);
        return ((Number) n).longValue();
    }

    private static void shoot(WebElement element, String name) throws IOException {
        ((JavascriptExecutor) ((org.openqa.selenium.WrapsDriver) element).getWrappedDriver())
                .executeScript("arguments[0].scrollIntoView(true);", element);
        Files.createDirectories(SHOTS);
        Path target = SHOTS.resolve(name);
        File shot = element.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(target) > 5_000, "a real picture of the page");
        System.out.println("screenshot: " + target.toAbsolutePath());
    }
}
