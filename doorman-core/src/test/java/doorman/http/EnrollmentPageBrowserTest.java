package doorman.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Headless Chromium drives the enrollment page as a person would on a phone: a wrong token is refused, the
 * right one signs in, a person is added, a photo is uploaded and listed, and the door is unlocked by hand.
 * Skips when Debian's chromium and chromium-driver are absent (.ci/install-browser installs them).
 * The screenshot lands in target/screenshots/enrollment-page.png.
 */
class EnrollmentPageBrowserTest {

    static final Path SCREENSHOT = Path.of("target", "screenshots", "enrollment-page.png");

    @TempDir
    Path dir;

    @Test
    void signInAddAPersonUploadAPhotoAndSeeItListed() throws Exception {
        HeadlessChromium.assumeInstalled();
        Path photo = ApiFixture.shared(EnrollmentApiTest.AARON_1).toRealPath(); // chromedriver wants a canonical path

        try (ApiFixture api = ApiFixture.start(dir.resolve("data"))) {
            WebDriver browser = HeadlessChromium.open(dir.resolve("chromium-profile"), 412, 1300); // a phone's width
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get(api.server.baseUrl() + "/");
                assertEquals("Doorman", browser.getTitle());

                browser.findElement(By.id("token")).sendKeys("not-the-token");
                browser.findElement(By.id("sign-in")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Sign-in failed"));
                assertFalse(browser.findElement(By.id("app")).isDisplayed());

                browser.findElement(By.id("token")).clear();
                browser.findElement(By.id("token")).sendKeys(api.token);
                browser.findElement(By.id("sign-in")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
                assertFalse(browser.findElement(By.id("sign-in-panel")).isDisplayed());

                browser.findElement(By.id("new-person-name")).sendKeys("Grace Hopper");
                browser.findElement(By.id("add-person")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("people"), "Grace Hopper"));
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("person-panel")));
                assertEquals("Grace Hopper", browser.findElement(By.id("person-name")).getText());

                browser.findElement(By.id("photo-file")).sendKeys(photo.toString());
                browser.findElement(By.id("upload")).click();
                wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#photos li"), 1));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("people"), "1 photo"));
                assertTrue(browser.findElement(By.id("notice")).getText().contains("Photo added for Grace Hopper"));

                long id = api.gallery.findPerson("Grace Hopper").orElseThrow().id();
                assertEquals(1, api.gallery.templates(id).size(), "the upload reached the gallery");

                browser.findElement(By.id("unlock")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "The door was unlocked"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#events tbody"), "unlock"));
                List<WebElement> rows = browser.findElements(By.cssSelector("#events tbody tr"));
                assertFalse(rows.isEmpty());

                Files.createDirectories(SCREENSHOT.getParent());
                File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
                Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
                assertTrue(Files.size(SCREENSHOT) > 10_000, "a real picture of the page");
                System.out.println("screenshot: " + SCREENSHOT.toAbsolutePath());
            } finally {
                browser.quit();
            }
        }
    }
}
