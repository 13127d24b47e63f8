package doorman.gallery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gallery against other processes: a crash mid-use, and a second doorman wanting the same store. */
class GalleryProcessTest {

    @TempDir
    Path dir;

    private static Process child(String mode, Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                GalleryChildProcess.class.getName(), mode, dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static BufferedReader output(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void aCommittedChangeSurvivesTheProcessDying() throws Exception {
        Process crashing = child("crash", dir);
        String line = output(crashing).readLine();
        assertTrue(crashing.waitFor(60, TimeUnit.SECONDS), "the child did not finish");
        assertEquals(17, crashing.exitValue(), "the child should have halted");
        assertTrue(line != null && line.startsWith("committed "), "child said: " + line);
        String[] ids = line.split(" ");

        try (Gallery gallery = Gallery.open(dir)) {
            Person survivor = gallery.person(Long.parseLong(ids[1])).orElseThrow();
            assertEquals("Crash Survivor", survivor.name());
            List<Template> templates = gallery.templates(survivor.id());
            assertEquals(1, templates.size());
            assertEquals(Long.parseLong(ids[2]), templates.get(0).id());
            assertEquals(GalleryTest.unit(42, 192), templates.get(0).embedding());
        }
    }

    @Test
    void refusesAStoreHeldByAnotherProcess() throws Exception {
        Process holder = child("hold", dir);
        try {
            String line = output(holder).readLine();
            assertTrue(line != null && line.startsWith("open "), "child said: " + line);
            GalleryException e = org.junit.jupiter.api.Assertions.assertThrows(GalleryException.class, () -> Gallery.open(dir));
            assertTrue(e.getMessage().contains("is in use by another doorman process (pid " + holder.pid() + ")"), e.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        try (Gallery gallery = Gallery.open(dir)) {
            assertTrue(gallery.people().isEmpty());
        }
    }

    @Test
    void aRefusedSecondOpenInThisProcessKeepsTheLockForTheFirst() throws Exception {
        try (Gallery first = Gallery.open(dir)) {
            org.junit.jupiter.api.Assertions.assertThrows(GalleryException.class, () -> Gallery.open(dir));
            Process other = child("try", dir);
            String line = output(other).readLine();
            assertTrue(other.waitFor(60, TimeUnit.SECONDS));
            assertTrue(line != null && line.startsWith("refused: ") && line.contains("pid " + ProcessHandle.current().pid()),
                    "child said: " + line);
            first.addPerson("Only Writer");
        }
    }
}
