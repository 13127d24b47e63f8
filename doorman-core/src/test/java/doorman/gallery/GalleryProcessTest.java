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

    /** kill -9 during a 150-photo enroll, ten times: the person is either absent or complete, never partial. */
    @Test
    void killNineDuringEnrollLeavesAllOrNothing() throws Exception {
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        java.util.Random random = new java.util.Random(8);
        for (int run = 0; run < 10; run++) {
            Path data = dir.resolve("run-" + run);
            boolean hang = run % 2 == 0;
            Process child = child(hang ? "enroll-and-hang" : "enroll", data);
            BufferedReader out = output(child);
            assertEquals("ready", out.readLine());
            if (hang) assertEquals("in transaction", out.readLine());
            else Thread.sleep(random.nextInt(2500)); // a kill anywhere from before the transaction to after the commit
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            try (Gallery gallery = Gallery.open(data)) {
                assertEquals(List.of(), gallery.quarantined());
                var person = gallery.findPerson("Kill Nine");
                int templates = person.map(p -> gallery.templates(p.id()).size()).orElse(0);
                assertTrue(templates == 0 && person.isEmpty() || templates == 150,
                        "run " + run + ": " + person + " with " + templates + " templates");
                assertEquals(templates, gallery.counts().templates());
                outcomes.merge(templates == 0 ? "nothing enrolled" : "all 150 enrolled", 1, Integer::sum);
            }
        }
        // the control: left alone, the same child enrolls all 150
        Process control = child("enroll", dir.resolve("control"));
        BufferedReader out = output(control);
        assertEquals("ready", out.readLine());
        long started = System.nanoTime();
        assertEquals("committed", out.readLine());
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(control.waitFor(30, TimeUnit.SECONDS));
        try (Gallery gallery = Gallery.open(dir.resolve("control"))) {
            assertEquals(150, gallery.counts().templates());
        }
        System.out.println("kill -9 during a 150-photo enroll, 10 runs: " + outcomes + "; uninterrupted, the enroll took " + ms + " ms");
        assertTrue(outcomes.getOrDefault("nothing enrolled", 0) >= 5, "the mid-transaction kills leave nothing");
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
